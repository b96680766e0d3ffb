import type { Place, WallWarning, Zone } from '@vigie/rules';
import { iso, type SqlClient } from './sql-client.ts';

/**
 * Stores imported zones, for good: one already stored under an id is replaced. A warning's
 * temporary area (a CAP message's) is never replaced: its ids are refused before
 * (`temporaryZoneIds`), and left alone here should one have come meanwhile.
 */
export async function upsertZones(db: SqlClient, zones: Zone[]): Promise<void> {
  if (!zones.length) return;
  await db.query(
    `INSERT INTO zones (id, name, kind, tags, geometry)
     SELECT id, name, kind, tags, geometry FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, kind text, tags jsonb, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, tags = EXCLUDED.tags,
       geometry = EXCLUDED.geometry, updated_at = now()
       WHERE zones.expires_at IS NULL`,
    [JSON.stringify(zones)],
  );
}

/** Those of `ids` that are a warning's temporary area (stored with an end). */
export async function temporaryZoneIds(db: SqlClient, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.query<{ id: string }>('SELECT id FROM zones WHERE id = ANY($1::text[]) AND expires_at IS NOT NULL', [ids]);
  return new Set(rows.map((r) => r.id));
}

/** Every zone; a temporary one (a warning's area) with its `expiresAt`. */
export async function listZones(db: SqlClient): Promise<Zone[]> {
  const rows = await db.query<Zone & { expires_at: unknown }>('SELECT id, name, kind, tags, geometry, expires_at FROM zones ORDER BY kind, id');
  return rows.map(({ expires_at, ...z }) => (expires_at === null || expires_at === undefined ? z : { ...z, expiresAt: iso(expires_at) }));
}

/** Every zone's id, kind and tags, without its geometry: what a rule may name. */
export async function listZoneRefs(db: SqlClient): Promise<{ id: string; kind: string; tags: string[] }[]> {
  return db.query<{ id: string; kind: string; tags: string[] }>('SELECT id, kind, tags FROM zones');
}

/** The warnings' areas (CAP) in force at `now`, the soonest to end first. */
export async function warningZones(db: SqlClient, now: Date): Promise<WallWarning[]> {
  const rows = await db.query<{ id: string; name: string; expires_at: unknown; geometry: Zone['geometry'] }>(
    `SELECT id, name, expires_at, geometry FROM zones
      WHERE kind = 'warning' AND (expires_at IS NULL OR expires_at > $1) ORDER BY expires_at NULLS LAST, id`,
    [now.toISOString()],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, expiresAt: r.expires_at === null || r.expires_at === undefined ? null : iso(r.expires_at), geometry: r.geometry }));
}

export async function upsertPlaces(db: SqlClient, places: Place[]): Promise<void> {
  if (!places.length) return;
  await db.query(
    `INSERT INTO places (id, name, kind, lat, lon)
     SELECT id, name, kind, lat, lon FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, kind text, lat float8, lon float8)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lat = EXCLUDED.lat, lon = EXCLUDED.lon`,
    [JSON.stringify(places)],
  );
}

export async function listPlaces(db: SqlClient): Promise<Place[]> {
  return db.query<Place>('SELECT id, name, kind, lat, lon FROM places ORDER BY kind, name');
}
