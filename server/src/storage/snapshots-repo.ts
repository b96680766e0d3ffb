import type { EngineSnapshot } from '@vigie/rules';
import { iso, jsonbParam, type SqlClient } from './sql-client.ts';

export async function saveSnapshot(db: SqlClient, node: string, at: Date, state: EngineSnapshot): Promise<void> {
  await db.query(
    `INSERT INTO engine_snapshots (node, at, state) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (node) DO UPDATE SET at = EXCLUDED.at, state = EXCLUDED.state`,
    [node, at.toISOString(), jsonbParam(JSON.stringify(state))]);
}

export async function loadSnapshot(db: SqlClient, node: string): Promise<{ at: string; state: EngineSnapshot } | undefined> {
  const [r] = await db.query<{ at: unknown; state: EngineSnapshot }>('SELECT at, state FROM engine_snapshots WHERE node = $1', [node]);
  return r && { at: iso(r.at), state: r.state };
}
