import type { StoredEvent } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';

/** Events per page in a backtest: large enough that round trips do not count, small enough to cancel quickly. */
export const BACKTEST_PAGE_SIZE = 10_000;

type Row = { b: string };
const iso = (ms: number) => new Date(ms).toISOString();

/** A type glob of the rule language ("accident.*", "LUM-1300?") as a LIKE pattern. */
export const globToLike = (glob: string): string =>
  glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
const MIN_SPAN = 1000;
const FIRST_SPAN = 3_600_000;

/**
 * Stored events with `from <= time < to`, oldest first, in pages of at most about
 * `pageSize`. Each query covers a bounded slice of time whose length adapts to the density
 * of events, so that it reads only its slice through the time index whatever plan the
 * database picks (an unbounded `ORDER BY time LIMIT` may sort the whole rest of the period
 * for every page). A full page ends on a millisecond boundary, so events of one instant are
 * never split between pages nor read twice (a time with microseconds falls in its
 * millisecond). Bodies come as text and are parsed here: quicker than the drivers' jsonb.
 * `types` (globs) keeps only the events of those types, when every rule run says which
 * types it can accept: the others would be read only to be ignored.
 */
export async function* eventPages(db: SqlClient, from: Date, to: Date, pageSize: number, types?: readonly string[]): AsyncGenerator<StoredEvent[]> {
  const end = to.getTime();
  let cursor = from.getTime();
  let span = FIRST_SPAN;
  const byType = types ? ' AND type LIKE ANY($3::text[])' : '';
  const read = async (lo: number, hi: number, limit?: number) => {
    const params: unknown[] = [iso(lo), iso(hi)];
    if (types) params.push(types.map(globToLike));
    if (limit) params.push(limit);
    const rows = await db.query<Row>(
      `SELECT body::text AS b FROM events WHERE time >= $1::timestamptz AND time < $2::timestamptz${byType}
        ORDER BY time, source, id${limit ? ` LIMIT $${params.length}` : ''}`,
      params,
    );
    return rows.map((r) => JSON.parse(r.b) as StoredEvent);
  };

  while (cursor < end) {
    const upper = Math.min(end, cursor + span);
    const events = await read(cursor, upper, pageSize);
    if (events.length < pageSize) {
      // The whole slice: next slice after it, longer when this one was sparse.
      if (events.length) yield events;
      cursor = upper;
      if (events.length < pageSize / 2) span *= 2;
      continue;
    }
    span = Math.max(MIN_SPAN, Math.floor(span / 2));
    const ms = events.map((e) => Date.parse(e.time));
    const last = ms[ms.length - 1]!;
    let cut = ms.length;
    while (cut > 0 && ms[cut - 1] === last) cut--;
    if (cut > 0) {
      yield events.slice(0, cut);
      cursor = last; // the cut millisecond is read again, whole, by the next page
    } else {
      // A whole page within one millisecond: read that millisecond entirely, then move past it.
      yield await read(last, last + 1);
      cursor = last + 1;
    }
  }
}

/** The types every one of `rules` can accept (their union), or undefined when one of them may accept any type. */
export function acceptedTypes(rules: readonly { types?: string[] }[]): string[] | undefined {
  if (rules.some((r) => !r.types)) return undefined;
  return [...new Set(rules.flatMap((r) => r.types!))];
}
