import type { FeedHealth } from '@vigie/rules';
import { feedStats } from '../storage/events-repo.ts';
import { iso, type SqlClient } from '../storage/sql-client.ts';

/** A feed is late after this long without a message, silent after the second. */
export const LATE_AFTER_MS = 5 * 60_000;
export const SILENT_AFTER_MS = 30 * 60_000;

export async function feedHealth(db: SqlClient, now: Date): Promise<FeedHealth[]> {
  const rows = await feedStats(db, now);
  return rows.map((r) => {
    const lastReceivedAt = r.last_received ? iso(r.last_received) : null;
    const age = lastReceivedAt ? now.getTime() - Date.parse(lastReceivedAt) : Infinity;
    return {
      source: r.source,
      lastEventAt: r.last_time ? iso(r.last_time) : null,
      lastReceivedAt,
      eventsLastHour: Number(r.last_hour),
      status: !lastReceivedAt ? 'no-data' : age > SILENT_AFTER_MS ? 'silent' : age > LATE_AFTER_MS ? 'late' : 'ok',
    };
  });
}
