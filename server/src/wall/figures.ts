import { geometryBBox, geometryContains, SEVERITIES, type Severity, type WallFigures, type Zone } from '@vigie/rules';
import { historyWeeksBefore, USUAL_WEEKS } from '../calendar/briefing-data.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** Event families counted as incidents on the wall. */
export const INCIDENT_TYPES = ['incident.%', 'accident.%'];

/** An area the figures are restricted to (a district view): its id and outline. */
export type FigureArea = { id: string; geometry: Zone['geometry'] };

/**
 * Incidents in the last hour and, for the same hour of the week, the mean of the previous
 * weeks; in `area` only when given (the events in its bounding box, then in its outline).
 */
export async function incidentsVsUsual(db: SqlClient, now: Date, weeks = USUAL_WEEKS, area?: FigureArea): Promise<WallFigures['incidents']> {
  const counts = area ? await weeklyCountsIn(db, now, weeks, area) : await weeklyCounts(db, now, weeks);
  const historyWeeks = await historyWeeksBefore(db, now.getTime(), weeks);
  const past = counts.slice(1, 1 + historyWeeks);
  const usual = historyWeeks ? Math.round((past.reduce((a, b) => a + b, 0) / historyWeeks) * 10) / 10 : 0;
  return { lastHour: counts[0]!, usual, weeks, historyWeeks };
}

/** Where incidents of the last `weeks` weeks and an hour are read. */
const INCIDENTS_SINCE = (weeks: number) => `(type LIKE $2 OR type LIKE $3) AND time > $1::timestamptz - interval '${7 * weeks} days' - interval '1 hour' AND time <= $1::timestamptz`;

/** Incidents in the hour before `now` (index 0) and in the same hour 1…`weeks` weeks before. */
async function weeklyCounts(db: SqlClient, now: Date, weeks: number): Promise<number[]> {
  const filters = Array.from({ length: weeks + 1 }, (_, k) =>
    `count(*) FILTER (WHERE time > $1::timestamptz - interval '${7 * k} days' - interval '1 hour' AND time <= $1::timestamptz - interval '${7 * k} days')::int AS w${k}`);
  const [r] = await db.query<Record<string, number>>(`SELECT ${filters.join(', ')} FROM events WHERE ${INCIDENTS_SINCE(weeks)}`, [now.toISOString(), ...INCIDENT_TYPES]);
  return Array.from({ length: weeks + 1 }, (_, k) => Number(r?.[`w${k}`] ?? 0));
}

/** The same in an area: the located incidents of those hours in its bounding box, counted when in its outline. */
async function weeklyCountsIn(db: SqlClient, now: Date, weeks: number, area: FigureArea): Promise<number[]> {
  const box = geometryBBox(area.geometry);
  const rows = await db.query<{ lat: number; lon: number; k: number }>(
    `SELECT lat, lon, floor(extract(epoch FROM ($1::timestamptz - time)) / 604800)::int AS k FROM events
      WHERE ${INCIDENTS_SINCE(weeks)} AND lat BETWEEN $4 AND $5 AND lon BETWEEN $6 AND $7
        AND extract(epoch FROM ($1::timestamptz - time)) - 604800 * floor(extract(epoch FROM ($1::timestamptz - time)) / 604800) < 3600`,
    [now.toISOString(), ...INCIDENT_TYPES, box.minLat, box.maxLat, box.minLon, box.maxLon]);
  const counts = new Array<number>(weeks + 1).fill(0);
  for (const r of rows) {
    const k = Number(r.k);
    if (k >= 0 && k <= weeks && geometryContains(area.geometry, Number(r.lon), Number(r.lat))) counts[k]!++;
  }
  return counts;
}

/** Open and acknowledged alerts by severity placed in `area` (those in its bounding box, counted when in its outline). */
export async function openAlertsBySeverityIn(db: SqlClient, area: FigureArea): Promise<Record<Severity, number>> {
  const box = geometryBBox(area.geometry);
  const rows = await db.query<{ severity: Severity; lat: number; lon: number }>(
    `SELECT severity, lat, lon FROM alerts
      WHERE status IN ('open', 'acknowledged') AND lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4`,
    [box.minLat, box.maxLat, box.minLon, box.maxLon]);
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) if (r.severity in out && geometryContains(area.geometry, Number(r.lon), Number(r.lat))) out[r.severity]++;
  return out;
}

/** Open and acknowledged alerts by severity; those of `zoneId` only when given. */
export async function openAlertsBySeverity(db: SqlClient, zoneId?: string): Promise<Record<Severity, number>> {
  const rows = await db.query<{ severity: Severity; n: number }>(
    `SELECT severity, count(*)::int AS n FROM alerts WHERE status IN ('open', 'acknowledged')${zoneId === undefined ? '' : ' AND zones @> jsonb_build_array($1::text)'} GROUP BY severity`,
    zoneId === undefined ? [] : [zoneId]);
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) if (r.severity in out) out[r.severity] = Number(r.n);
  return out;
}
