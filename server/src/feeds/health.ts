import type { FeedHealth } from '@vigie/rules';
import { rejectedLastHour } from '../ingest/dead-letters.ts';
import { importsLastDay } from '../storage/feed-imports-repo.ts';
import { feedStats } from '../storage/feed-minutes-repo.ts';
import { iso, type SqlClient } from '../storage/sql-client.ts';
import { timeNoticesLastHour } from '../storage/time-notices-repo.ts';

/**
 * A feed is late after this long without a message, silent after the second; a feed that
 * sends less often (a prefecture's hourly warning, a nightly export) after two and four of
 * its own usual intervals, learned from the last day (the time between its first and last
 * messages over their number), or, when its last day holds fewer than two messages (a
 * warning feed that speaks a few times a week, a feed that stopped), from its whole history.
 * A feed heard from once has no rhythm yet (a prefecture's first hourly warning after a fresh
 * start): it is late only after FIRST_LATE_AFTER_MS, silent after FIRST_SILENT_AFTER_MS; unless
 * Vigie polls it, on an interval it knows.
 */
export const LATE_AFTER_MS = 5 * 60_000;
export const SILENT_AFTER_MS = 30 * 60_000;
export const FIRST_LATE_AFTER_MS = 2 * 3600_000;
export const FIRST_SILENT_AFTER_MS = 24 * 3600_000;

/** The usual time between a feed's messages (ms) from the first and last of `messages`, or undefined with fewer than two. */
export function usualInterval(firstReceived: string | null, lastReceived: string | null, messages: number): number | undefined {
  if (!firstReceived || !lastReceived || messages < 2) return undefined;
  return (Date.parse(lastReceived) - Date.parse(firstReceived)) / (messages - 1);
}

/**
 * Feed health with its numbers: rate, error rate, lag behind event time, and the events the
 * rules engine saw out of time (later than the allowed lateness, or ahead of the clock). The whole report
 * is what `GET /api/v1/feeds` answers and what the live `feed:health` event carries (the
 * figures are optional in FeedHealth only for clients of older servers).
 */
export type FeedHealthReport = FeedHealth & Required<Pick<FeedHealth, 'ratePerMinute' | 'errorRate' | 'lagSeconds' | 'lateLastHour' | 'lateMaxSeconds' | 'futureLastHour' | 'futureMaxSeconds' | 'usualIntervalSeconds' | 'lastImportAt' | 'importedLastDay' | 'lastError'>>;

/**
 * Every source heard from within LISTED_DAYS (a source silent for a day stays listed, silent)
 * or that uploaded over the last day. Its live messages (`feed_minutes`) say whether it
 * is ok, late or silent; one-off uploads (`feed_imports`, a CSV import) are not messages of a
 * feed: they never make a source late or silent. A source with uploads and no live message
 * over the last day is `imported` (its figures are those of its uploads); one with both is
 * judged on its live messages, its last upload shown beside them.
 */
/**
 * Each source Vigie polls: its interval (the shortest, if several configurations poll it), in
 * ms, its rhythm before one is learned; and the last poll's error, if the latest poll of
 * its configurations failed.
 */
async function polledSources(db: SqlClient): Promise<Map<string, { every: number; lastError: string | null }>> {
  const rows = await db.query<{ source: string; s: number; last_error: string | null }>(
    `SELECT source, min(interval_s)::int AS s,
            (array_agg(last_error ORDER BY last_poll_at DESC NULLS LAST))[1] AS last_error
       FROM feed_configs WHERE kind = 'gtfs-rt-poll' AND enabled GROUP BY source`);
  return new Map(rows.map((r) => [r.source, { every: r.s * 1000, lastError: r.last_error ?? null }]));
}

export async function feedHealth(db: SqlClient, now: Date): Promise<FeedHealthReport[]> {
  const [rows, refused, outOfTime, imports, polled] = await Promise.all([feedStats(db, now), rejectedLastHour(db, now), timeNoticesLastHour(db, now), importsLastDay(db, now), polledSources(db)]);
  // A source Vigie polls is listed from its configuration on, heard from or not: a poll that fails shows.
  const sources = new Set([...rows.map((r) => r.source), ...refused.keys(), ...outOfTime.keys(), ...imports.keys(), ...polled.keys()]);
  return [...sources].sort().map((source) => {
    const up = imports.get(source);
    const r = rows.find((x) => x.source === source);
    const lastReceivedAt = r?.last_received ? iso(r.last_received) : null;
    const lastEventAt = r?.last_time ? iso(r.last_time) : null;
    const age = lastReceivedAt ? now.getTime() - Date.parse(lastReceivedAt) : Infinity;
    const every = usualInterval(r?.first_received ? iso(r.first_received) : null, lastReceivedAt, Number(r?.batches ?? 0))
      ?? usualInterval(r?.ever_first ? iso(r.ever_first) : null, lastReceivedAt, Number(r?.ever_messages ?? 0)) ?? polled.get(source)?.every ?? 0;
    const once = !every && Number(r?.ever_messages ?? 0) === 1;
    const lateAfter = once ? FIRST_LATE_AFTER_MS : Math.max(LATE_AFTER_MS, 2 * every);
    const silentAfter = once ? FIRST_SILENT_AFTER_MS : Math.max(SILENT_AFTER_MS, 4 * every);
    const stored = Number(r?.last_hour ?? 0), bad = refused.get(source) ?? 0, odd = outOfTime.get(source);
    return {
      source,
      lastEventAt,
      lastReceivedAt,
      eventsLastHour: stored,
      status: !lastReceivedAt ? (up ? 'imported' : 'no-data') : age > silentAfter ? 'silent' : age > lateAfter ? 'late' : 'ok',
      usualIntervalSeconds: every ? Math.round(every / 1000) : null,
      ratePerMinute: Math.round((stored / 60) * 100) / 100,
      errorRate: stored + bad ? Math.round((bad / (stored + bad)) * 1000) / 1000 : 0,
      lagSeconds: lastReceivedAt && lastEventAt ? Math.max(0, Math.round((Date.parse(lastReceivedAt) - Date.parse(lastEventAt)) / 1000)) : null,
      lateLastHour: odd?.late ?? 0,
      lateMaxSeconds: Math.round((odd?.lateMaxMs ?? 0) / 1000),
      futureLastHour: odd?.future ?? 0,
      futureMaxSeconds: Math.round((odd?.futureMaxMs ?? 0) / 1000),
      lastImportAt: up?.lastImportAt ?? null,
      importedLastDay: up?.events ?? 0,
      lastError: polled.get(source)?.lastError ?? null,
    };
  });
}
