import type { StoredEvent } from '@vigie/rules';
import { globToLike } from '../backtest/event-pages.ts';
import { importedBatchesSince, wasImported } from '../storage/feed-imports-repo.ts';
import { LISTED_DAYS } from '../storage/feed-minutes-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** Events read per source, newest first from `before`, to find its newest of the types asked: the bound of each source's scan. */
export const SCAN_PER_SOURCE = 2000;
/** Events of the types asked kept per source, to find its newest live one among uploads and replays. */
const KEPT_PER_SOURCE = 5;

/**
 * The newest live event of each source that feed health lists (heard from within LISTED_DAYS),
 * stamped at or before `before`, of `types` (globs; undefined: any): what an absence rule
 * rebuilt from the span after `before` needs to know a source gone quiet before it (a bus that
 * stopped sending positions but still sends its status). Each source is read newest first
 * from `before` through the (source, time) index, at most SCAN_PER_SOURCE events: a source
 * whose last event of those types is older than that many of its others is not found. An
 * upload's or a replay's event is not its source speaking: passed over.
 */
export async function lastHeardBefore(db: SqlClient, before: Date, types?: readonly string[], days = LISTED_DAYS): Promise<StoredEvent[]> {
  const since = new Date(before.getTime() - days * 86_400_000);
  const params: unknown[] = [before.toISOString(), since.toISOString(), SCAN_PER_SOURCE, KEPT_PER_SOURCE];
  if (types) params.push(types.map(globToLike));
  // Ordered as the index is (source, then time newest first): read through it, whatever the
  // planner would think of the time index for a source that speaks rarely.
  const rows = await db.query<{ b: string }>(
    `SELECT ev.body::text AS b
       FROM feed_sources s
       CROSS JOIN LATERAL (
         SELECT r.id FROM (
           SELECT e.id, e.type, e.time FROM events e
            WHERE e.source = s.source AND e.time <= $1::timestamptz AND e.time >= $2::timestamptz
            ORDER BY e.source, e.time DESC LIMIT $3) r
          ${types ? 'WHERE r.type LIKE ANY($5::text[])' : ''}
          ORDER BY r.time DESC LIMIT $4) x
       JOIN events ev ON ev.source = s.source AND ev.id = x.id
      WHERE s.last_received >= $2::timestamptz`,
    params,
  );
  const imports = await importedBatchesSince(db, since);
  const newest = new Map<string, StoredEvent>();
  for (const r of rows) {
    const e = JSON.parse(r.b) as StoredEvent;
    if (wasImported(imports, e)) continue;
    const known = newest.get(e.source);
    if (!known || Date.parse(e.time) > Date.parse(known.time)) newest.set(e.source, e);
  }
  return [...newest.values()];
}
