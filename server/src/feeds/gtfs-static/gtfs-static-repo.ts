import type { SqlClient } from '../../storage/sql-client.ts';
import type { GtfsRoute, GtfsStatic } from './gtfs-static.ts';

/** Stores a feed's stops (as places of kind `transit-stop`) and routes with their shapes, replacing the feed's previous import. */
export async function storeGtfsStatic(db: SqlClient, feed: string, g: GtfsStatic): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM places WHERE kind = 'transit-stop' AND id LIKE $1", [`${feed}:%`]);
    await tx.query('DELETE FROM transit_routes WHERE feed = $1', [feed]);
    if (g.stops.length) {
      await tx.query(
        `INSERT INTO places (id, name, kind, lat, lon)
         SELECT $2 || ':' || id, name, 'transit-stop', lat, lon FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, lat float8, lon float8)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lat = EXCLUDED.lat, lon = EXCLUDED.lon`,
        [JSON.stringify(g.stops), feed],
      );
    }
    if (g.routes.length) {
      await tx.query(
        `INSERT INTO transit_routes (feed, id, short_name, long_name, type, color, shapes)
         SELECT $2, id, "shortName", "longName", type, color, shapes FROM jsonb_to_recordset($1::jsonb)
           AS x(id text, "shortName" text, "longName" text, type int, color text, shapes jsonb)`,
        [JSON.stringify(g.routes), feed],
      );
    }
  });
}

export async function listTransitRoutes(db: SqlClient, feed?: string): Promise<(GtfsRoute & { feed: string })[]> {
  return db.query<GtfsRoute & { feed: string }>(
    `SELECT feed, id, short_name AS "shortName", long_name AS "longName", type, color, shapes FROM transit_routes
      WHERE $1::text IS NULL OR feed = $1 ORDER BY feed, short_name, id`,
    [feed ?? null],
  );
}
