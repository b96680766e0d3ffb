import { iso, type SqlClient } from '../storage/sql-client.ts';

/** An incident as the event view and the briefing read it: no id, no text, no attributes. */
export type IncidentPoint = { type: string; time: string; lat: number; lon: number; severity: number | null };

/** Event families counted as incidents around a major event. */
export const EVENT_INCIDENT_PATTERNS = ['incident.%', 'accident.%', 'crowd.%'];

/** Located incidents inside a latitude/longitude box in [from, to), oldest first. */
export async function incidentsInBox(db: SqlClient, box: { minLat: number; maxLat: number; minLon: number; maxLon: number }, from: string, to: string, limit = 5000): Promise<IncidentPoint[]> {
  const rows = await db.query<{ type: string; time: unknown; lat: number; lon: number; severity: number | null }>(
    `SELECT type, time, lat, lon, severity FROM events
      WHERE time >= $1 AND time < $2 AND lat BETWEEN $3 AND $4 AND lon BETWEEN $5 AND $6
        AND (type LIKE $7 OR type LIKE $8 OR type LIKE $9)
      ORDER BY time LIMIT $10`,
    [from, to, box.minLat, box.maxLat, box.minLon, box.maxLon, ...EVENT_INCIDENT_PATTERNS, limit]);
  return rows.map((r) => ({ type: r.type, time: iso(r.time), lat: Number(r.lat), lon: Number(r.lon), severity: r.severity === null ? null : Number(r.severity) }));
}
