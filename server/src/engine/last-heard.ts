import type { StoredEvent } from '@vigie/rules';
import { globToLike } from '../backtest/event-pages.ts';
import { importedBatchesSince, wasImported } from '../storage/feed-imports-repo.ts';
import { LISTED_DAYS } from '../storage/feed-minutes-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/**
 * The newest live event of each source that feed health lists (heard from within LISTED_DAYS),
 * when it is stamped at or before `before`, and of `types` (globs; undefined: any): what an
 * absence rule rebuilt from the span after `before` needs to know a source gone quiet before
 * it (a source heard of since is in the span). Read from `feed_sources` (each live source's
 * newest event time) and the event at that time, through the (source, time) index: one
 * lookup per source, whatever the number of events stored. An upload's or a replay's event
 * stamped at that very time is not its source speaking: passed over.
 */
export async function lastHeardBefore(db: SqlClient, before: Date, types?: readonly string[], days = LISTED_DAYS): Promise<StoredEvent[]> {
  const since = new Date(before.getTime() - days * 86_400_000);
  const params: unknown[] = [before.toISOString(), since.toISOString()];
  if (types) params.push(types.map(globToLike));
  const rows = await db.query<{ b: string }>(
    `SELECT e.body::text AS b FROM feed_sources s JOIN events e ON e.source = s.source AND e.time = s.last_time
      WHERE s.last_received >= $2::timestamptz AND s.last_time <= $1::timestamptz${types ? ' AND e.type LIKE ANY($3::text[])' : ''}`,
    params,
  );
  const imports = await importedBatchesSince(db, since);
  const newest = new Map<string, StoredEvent>();
  for (const r of rows) {
    const e = JSON.parse(r.b) as StoredEvent;
    if (!wasImported(imports, e) && !newest.has(e.source)) newest.set(e.source, e);
  }
  return [...newest.values()];
}
