import type { SqlClient } from './sql-client.ts';

/** Per source: events later than the allowed lateness, and stamped ahead of the clock, with the worst of each (ms). */
export type TimeNoticeCounts = { late: number; lateMaxMs: number; future: number; futureMaxMs: number };

const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();

/** Adds this minute's counts per source (several nodes add to the same rows). */
export async function recordTimeNotices(db: SqlClient, bySource: ReadonlyMap<string, TimeNoticeCounts>, at: Date): Promise<void> {
  if (bySource.size === 0) return;
  const sources = [...bySource.keys()], c = [...bySource.values()];
  await db.query(
    `INSERT INTO time_notices (source, minute, late, late_max_ms, future, future_max_ms)
     SELECT s, $2::timestamptz, l, lm, f, fm
       FROM unnest($1::text[], $3::int[], $4::bigint[], $5::int[], $6::bigint[]) AS t(s, l, lm, f, fm)
     ON CONFLICT (source, minute) DO UPDATE SET
       late = time_notices.late + excluded.late,
       late_max_ms = greatest(time_notices.late_max_ms, excluded.late_max_ms),
       future = time_notices.future + excluded.future,
       future_max_ms = greatest(time_notices.future_max_ms, excluded.future_max_ms)`,
    [sources, minuteOf(at), c.map((x) => x.late), c.map((x) => Math.round(x.lateMaxMs)), c.map((x) => x.future), c.map((x) => Math.round(x.futureMaxMs))],
  );
}

/** The counts of the last hour per source (sources with none are absent). */
export async function timeNoticesLastHour(db: SqlClient, now: Date): Promise<Map<string, TimeNoticeCounts>> {
  const rows = await db.query<{ source: string; late: number; late_max_ms: unknown; future: number; future_max_ms: unknown }>(
    `SELECT source, sum(late)::int AS late, max(late_max_ms) AS late_max_ms, sum(future)::int AS future, max(future_max_ms) AS future_max_ms
       FROM time_notices WHERE minute > $1::timestamptz - interval '1 hour' GROUP BY source`,
    [now.toISOString()],
  );
  return new Map(rows.map((r) => [r.source, { late: r.late, lateMaxMs: Number(r.late_max_ms), future: r.future, futureMaxMs: Number(r.future_max_ms) }]));
}

/** Forgets counts older than `days` (feed health reads the last hour; /metrics keeps the totals). */
export async function purgeTimeNotices(db: SqlClient, now: Date, days = 7): Promise<void> {
  await db.query(`DELETE FROM time_notices WHERE minute < $1::timestamptz - make_interval(days => $2::int)`, [now.toISOString(), days]);
}
