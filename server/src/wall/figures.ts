import { SEVERITIES, type Severity, type WallFigures } from '@vigie/rules';
import { USUAL_WEEKS } from '../calendar/briefing-data.ts';
import { iso, type SqlClient } from '../storage/sql-client.ts';

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
  // Weeks the store holds anything for: a city's first week has no usual yet (0 is not its usual).
  const [{ first } = { first: null }] = await db.query<{ first: unknown }>('SELECT min(time) AS first FROM events');
  const historyWeeks = first ? Math.max(0, Math.min(weeks, Math.floor((now.getTime() - Date.parse(iso(first))) / (7 * 86_400_000)))) : 0;
  const past = Array.from({ length: historyWeeks }, (_, k) => Number(r?.[`w${k + 1}`] ?? 0));
  const usual = historyWeeks ? Math.round((past.reduce((a, b) => a + b, 0) / historyWeeks) * 10) / 10 : 0;
  return { lastHour: Number(r?.w0 ?? 0), usual, weeks, historyWeeks };
}

export async function openAlertsBySeverity(db: SqlClient): Promise<Record<Severity, number>> {
  const rows = await db.query<{ severity: Severity; n: number }>(
    "SELECT severity, count(*)::int AS n FROM alerts WHERE status IN ('open', 'acknowledged') GROUP BY severity");
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) if (r.severity in out) out[r.severity] = Number(r.n);
  return out;
}
