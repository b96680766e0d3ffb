import type { StoredEvent } from '@vigie/rules';
import { globToLike } from '../backtest/event-pages.ts';
import { importedBatchesSince, wasImported } from '../storage/feed-imports-repo.ts';
import { LISTED_DAYS } from '../storage/feed-minutes-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** Events read per source, newest first, to find its newest live one among uploads and replays. */
const PER_SOURCE = 5;

/**
 * The newest live event of each source heard from within LISTED_DAYS (as feed health lists
 * them), stamped at or before `before` and within those days, of `types` (globs; undefined:
 * any): what an absence rule rebuilt from a span after it needs to know a source gone quiet
 * before then. An upload or a replayed dead letter is not its source speaking: a source whose
 * newest few events are all such is passed over. One indexed read per source (source, time).
 */
export async function lastHeardBefore(db: SqlClient, before: Date, types?: readonly string[], days = LISTED_DAYS): Promise<StoredEvent[]> {
  const since = new Date(before.getTime() - days * 86_400_000);
  const params: unknown[] = [before.toISOString(), since.toISOString(), PER_SOURCE];
  if (types) params.push(types.map(globToLike));
  const rows = await db.query<{ b: string }>(
    `SELECT x.b FROM (SELECT DISTINCT source FROM feed_minutes WHERE minute >= $2::timestamptz) s
       CROSS JOIN LATERAL (
         SELECT body::text AS b FROM events e
          WHERE e.source = s.source AND e.time <= $1::timestamptz AND e.time >= $2::timestamptz${types ? ' AND e.type LIKE ANY($4::text[])' : ''}
          ORDER BY e.time DESC LIMIT $3) x`,
    params,
  );
  const events = rows.map((r) => JSON.parse(r.b) as StoredEvent);
  const imports = await importedBatchesSince(db, since);
  const newest = new Map<string, StoredEvent>();
  for (const e of events) {
    if (wasImported(imports, e)) continue;
    const known = newest.get(e.source);
    if (!known || Date.parse(e.time) > Date.parse(known.time)) newest.set(e.source, e);
  }
  return [...newest.values()];
}
