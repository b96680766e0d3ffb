import { SEVERITIES, type Severity, type WallFigures } from '@vigie/rules';
import { USUAL_WEEKS } from '../calendar/briefing-data.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** Event families counted as incidents on the wall. */
export const INCIDENT_TYPES = ['incident.%', 'accident.%'];

/** Incidents in the last hour and, for the same hour of the week, the mean of the previous weeks. */
export async function incidentsVsUsual(db: SqlClient, now: Date, weeks = USUAL_WEEKS): Promise<WallFigures['incidents']> {
  const filters = Array.from({ length: weeks + 1 }, (_, k) =>
    `count(*) FILTER (WHERE time > $1::timestamptz - interval '${7 * k} days' - interval '1 hour' AND time <= $1::timestamptz - interval '${7 * k} days')::int AS w${k}`);
  const [r] = await db.query<Record<string, number>>(
    `SELECT ${filters.join(', ')} FROM events
      WHERE (type LIKE $2 OR type LIKE $3) AND time > $1::timestamptz - interval '${7 * weeks} days' - interval '1 hour' AND time <= $1::timestamptz`,
    [now.toISOString(), ...INCIDENT_TYPES]);
  const past = Array.from({ length: weeks }, (_, k) => Number(r?.[`w${k + 1}`] ?? 0));
  return { lastHour: Number(r?.w0 ?? 0), usual: Math.round((past.reduce((a, b) => a + b, 0) / weeks) * 10) / 10, weeks };
}

export async function openAlertsBySeverity(db: SqlClient): Promise<Record<Severity, number>> {
  const rows = await db.query<{ severity: Severity; n: number }>(
    "SELECT severity, count(*)::int AS n FROM alerts WHERE status IN ('open', 'acknowledged') GROUP BY severity");
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) if (r.severity in out) out[r.severity] = Number(r.n);
  return out;
}
