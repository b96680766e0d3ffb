import { ScreenConfig } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';

export { ScreenConfig };

export const DEFAULT_SCREEN: ScreenConfig = Object.freeze({
  views: [{ kind: 'city' }, { kind: 'event' }, { kind: 'transport' }],
  dwellSeconds: 30,
  lang: 'fr',
}) as ScreenConfig;

/** The screen's configuration, the default when none was stored (or the stored one no longer parses). */
export async function screenConfig(db: SqlClient, tokenHash: string): Promise<ScreenConfig> {
  const [r] = await db.query<{ config: unknown }>('SELECT config FROM wall_screens WHERE token_hash = $1', [tokenHash]);
  const parsed = r ? ScreenConfig.safeParse(r.config) : undefined;
  return parsed?.success ? parsed.data : DEFAULT_SCREEN;
}

/** Every display token by name, with its configuration (for supervisors). */
export async function listScreens(db: SqlClient): Promise<{ name: string; config: ScreenConfig; configured: boolean }[]> {
  const rows = await db.query<{ name: string; config: unknown }>(
    'SELECT d.name, w.config FROM display_tokens d LEFT JOIN wall_screens w USING (token_hash) ORDER BY d.name');
  return rows.map((r) => {
    const parsed = r.config ? ScreenConfig.safeParse(r.config) : undefined;
    return { name: r.name, config: parsed?.success ? parsed.data : DEFAULT_SCREEN, configured: Boolean(parsed?.success) };
  });
}

/** Stores the configuration of the screen named `name`; false when no display token has that name. */
export async function saveScreenConfig(db: SqlClient, name: string, config: ScreenConfig, now: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO wall_screens (token_hash, config, updated_at)
     SELECT token_hash, $2::jsonb, $3 FROM display_tokens WHERE name = $1
     ON CONFLICT (token_hash) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at
     RETURNING token_hash`, [name, JSON.stringify(config), now.toISOString()]);
  return rows.length > 0;
}
