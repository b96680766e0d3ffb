import type { FeedHealth } from '@vigie/rules';
import { rejectedLastHour } from '../ingest/dead-letters.ts';
import { feedStats } from '../storage/events-repo.ts';
import { iso, type SqlClient } from '../storage/sql-client.ts';
import { timeNoticesLastHour } from '../storage/time-notices-repo.ts';

/** A feed is late after this long without a message, silent after the second. */
export const LATE_AFTER_MS = 5 * 60_000;
export const SILENT_AFTER_MS = 30 * 60_000;

/**
 * Feed health with its numbers: rate, error rate, lag behind event time, and the events the
 * rules engine saw out of time (later than the allowed lateness, or ahead of the clock). The whole report
 * is what `GET /api/v1/feeds` answers and what the live `feed:health` event carries (the
 * figures are optional in FeedHealth only for clients of older servers).
 */
export type FeedHealthReport = FeedHealth & Required<Pick<FeedHealth, 'ratePerMinute' | 'errorRate' | 'lagSeconds' | 'lateLastHour' | 'lateMaxSeconds' | 'futureLastHour' | 'futureMaxSeconds'>>;

export async function feedHealth(db: SqlClient, now: Date): Promise<FeedHealthReport[]> {
  const [rows, refused, outOfTime] = await Promise.all([feedStats(db, now), rejectedLastHour(db, now), timeNoticesLastHour(db, now)]);
  const sources = new Set([...rows.map((r) => r.source), ...refused.keys(), ...outOfTime.keys()]);
  return [...sources].sort().map((source) => {
    const r = rows.find((x) => x.source === source);
    const lastReceivedAt = r?.last_received ? iso(r.last_received) : null;
    const lastEventAt = r?.last_time ? iso(r.last_time) : null;
    const age = lastReceivedAt ? now.getTime() - Date.parse(lastReceivedAt) : Infinity;
    const stored = Number(r?.last_hour ?? 0), bad = refused.get(source) ?? 0, odd = outOfTime.get(source);
    return {
      source,
      lastEventAt,
      lastReceivedAt,
      eventsLastHour: stored,
      status: !lastReceivedAt ? 'no-data' : age > SILENT_AFTER_MS ? 'silent' : age > LATE_AFTER_MS ? 'late' : 'ok',
      ratePerMinute: Math.round((stored / 60) * 100) / 100,
      errorRate: stored + bad ? Math.round((bad / (stored + bad)) * 1000) / 1000 : 0,
      lagSeconds: lastReceivedAt && lastEventAt ? Math.max(0, Math.round((Date.parse(lastReceivedAt) - Date.parse(lastEventAt)) / 1000)) : null,
      lateLastHour: odd?.late ?? 0,
      lateMaxSeconds: Math.round((odd?.lateMaxMs ?? 0) / 1000),
      futureLastHour: odd?.future ?? 0,
      futureMaxSeconds: Math.round((odd?.futureMaxMs ?? 0) / 1000),
    };
  });
}
