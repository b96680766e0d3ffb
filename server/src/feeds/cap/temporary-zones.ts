import type { SqlClient } from '../../storage/sql-client.ts';
import type { TemporaryZone } from '../adapter.ts';

/** Stores warning areas as zones (kind `warning`, tag `temporary`) until they expire; a permanent zone of the same id (imported) is left as it is. */
export async function upsertTemporaryZones(db: SqlClient, zones: TemporaryZone[]): Promise<void> {
  if (!zones.length) return;
  await db.query(
    `INSERT INTO zones (id, name, kind, tags, geometry, expires_at)
     SELECT id, name, 'warning', '["temporary","cap"]'::jsonb, geometry, "expiresAt"
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, geometry jsonb, "expiresAt" timestamptz)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, geometry = EXCLUDED.geometry,
       expires_at = EXCLUDED.expires_at, updated_at = now()
       WHERE zones.expires_at IS NOT NULL`,
    [JSON.stringify(zones)],
  );
}

/** Removes the zones whose warning is over; returns how many went. */
export async function purgeExpiredZones(db: SqlClient, now: Date): Promise<number> {
  const gone = await db.query('DELETE FROM zones WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING id', [now.toISOString()]);
  return gone.length;
}

/** Ends the temporary zones whose id starts with one of `prefixes`; returns how many went. */
export async function endTemporaryZones(db: SqlClient, prefixes: string[]): Promise<number> {
  if (!prefixes.length) return 0;
  const gone = await db.query(
    `DELETE FROM zones WHERE expires_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS p(prefix) WHERE starts_with(zones.id, p.prefix)) RETURNING id`,
    [prefixes],
  );
  return gone.length;
}
