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

/** A transport incident as the event view reads it: where (when located) and on which line (when named). */
export type TransportIncident = { type: string; time: string; lat: number | null; lon: number | null; line: string | null };

/**
 * Transport incidents, the operator's disruptions of the network (`transport.incident*`
 * from SIRI situations, `transport.alert` from GTFS-RT service alerts; not vehicle
 * positions, delays or traveller information messages), in [from, to) located inside `box`, or on one of `lines` (the
 * event's `attributes.line`) wherever they are, oldest first. The caller keeps those that
 * matter to a venue.
 */
export async function transportIncidentsNear(db: SqlClient, box: { minLat: number; maxLat: number; minLon: number; maxLon: number }, lines: readonly string[], from: string, to: string, limit = 5000): Promise<TransportIncident[]> {
  const rows = await db.query<{ type: string; time: unknown; lat: number | null; lon: number | null; line: string | null; alert_id: string | null; source: string }>(
    `SELECT type, time, lat, lon, body->'attributes'->>'line' AS line, body->'attributes'->>'alertId' AS alert_id, source FROM events
      WHERE time >= $1 AND time < $2
        AND (type = $3 OR type LIKE $4 OR type = $5)
        AND ((lat BETWEEN $6 AND $7 AND lon BETWEEN $8 AND $9) OR body->'attributes'->>'line' = ANY($10::text[]))
      ORDER BY time LIMIT $11`,
    [from, to, 'transport.incident', 'transport.incident.%', 'transport.alert', box.minLat, box.maxLat, box.minLon, box.maxLon, [...lines], limit]);
  // A service alert edited by its operator is stored once per version (its id carries its content): counted once, at its first.
  const seen = new Set<string>();
  return rows
    .filter((r) => r.alert_id === null || (!seen.has(`${r.source}/${r.alert_id}`) && Boolean(seen.add(`${r.source}/${r.alert_id}`))))
    .map((r) => ({ type: r.type, time: iso(r.time), lat: r.lat === null ? null : Number(r.lat), lon: r.lon === null ? null : Number(r.lon), line: r.line }));
}
