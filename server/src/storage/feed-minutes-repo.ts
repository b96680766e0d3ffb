import type { StoredEvent } from '@vigie/rules';
import type { SqlClient } from './sql-client.ts';

/** How far after its reception an event may be stamped and still count as a feed's newest (a clock gone wrong beyond). */
const AHEAD_MS = 5 * 60_000;

/** `counted`: the received time of the last message counted in `batches` (a message is counted once per source and minute). */
type Minute = { source: string; minute: string; events: number; batches: number; first: string; last: string; lastTime: number; counted: string };

/**
 * Minutes counted in this process and not yet written, per database: writing them once a
 * second (`flushFeedMinutes`, and before every read) instead of with every batch costs the
 * ingest nothing measurable (a statement per batch cost PGlite about 5 ms).
 */
const pending = new WeakMap<SqlClient, Map<string, Minute>>();

/** Counts stored events in their source's minute (of reception); written by the next `flushFeedMinutes`. */
export function addFeedMinutes(db: SqlClient, events: readonly StoredEvent[]): void {
  if (events.length === 0) return;
  const by = minutesOf(db);
  let received = '', receivedMs = NaN, m: Minute | undefined;
  for (const e of events) {
    if (e.receivedAt !== received || e.source !== m?.source) {
      // A batch shares one received time (and mostly one source): a new message of the minute.
      m = heard(by, e.source, e.receivedAt);
      received = e.receivedAt;
      receivedMs = Date.parse(received);
    }
    m.events++;
    const t = Date.parse(e.time);
    if (t > m.lastTime && t <= receivedMs + AHEAD_MS) m.lastTime = t;
  }
}

/**
 * Counts messages that stored no new event (all their events already stored: a feed sending
 * the same snapshot again, a light notified again in the same state): the feed still speaks,
 * and is neither late nor silent for it.
 */
export function addFeedMessages(db: SqlClient, messages: readonly { source: string; receivedAt: string }[]): void {
  if (messages.length === 0) return;
  const by = minutesOf(db);
  for (const x of messages) heard(by, x.source, x.receivedAt);
}

function minutesOf(db: SqlClient): Map<string, Minute> {
  let by = pending.get(db);
  if (!by) pending.set(db, (by = new Map()));
  return by;
}

/** The source's minute of `receivedAt`, with the message received then counted (once). */
function heard(by: Map<string, Minute>, source: string, receivedAt: string): Minute {
  const minute = `${receivedAt.slice(0, 16)}:00.000Z`, key = `${source}\u0000${minute}`;
  let m = by.get(key);
  if (!m) by.set(key, (m = { source, minute, events: 0, batches: 0, first: receivedAt, last: receivedAt, lastTime: -Infinity, counted: '' }));
  if (m.counted !== receivedAt) {
    m.batches++;
    m.counted = receivedAt;
  }
  if (receivedAt < m.first) m.first = receivedAt;
  if (receivedAt > m.last) m.last = receivedAt;
  return m;
}

/** Writes the minutes counted since the last call (several nodes add to the same rows). */
export async function flushFeedMinutes(db: SqlClient): Promise<void> {
  const by = pending.get(db);
  if (!by?.size) return;
  pending.delete(db);
  // In one order on every node (source, then minute): two nodes flushing at once lock rows in the same order.
  const ms = [...by.values()].sort((a, b) => (a.source !== b.source ? (a.source < b.source ? -1 : 1) : a.minute < b.minute ? -1 : a.minute > b.minute ? 1 : 0));
  const params = [ms.map((m) => m.source), ms.map((m) => m.minute), ms.map((m) => m.events), ms.map((m) => m.batches), ms.map((m) => m.first), ms.map((m) => m.last),
    ms.map((m) => (Number.isFinite(m.lastTime) ? new Date(m.lastTime).toISOString() : null))];
  try {
    // Both or neither: what is not written is counted again with the next flush.
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO feed_minutes (source, minute, events, batches, first_received, last_received, last_time)
         SELECT s, m::timestamptz, n, b, f::timestamptz, l::timestamptz, t::timestamptz
           FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[]) AS x(s, m, n, b, f, l, t)
         ON CONFLICT (source, minute) DO UPDATE SET
           events = feed_minutes.events + excluded.events,
           batches = feed_minutes.batches + excluded.batches,
           first_received = least(feed_minutes.first_received, excluded.first_received),
           last_received = greatest(feed_minutes.last_received, excluded.last_received),
           last_time = greatest(feed_minutes.last_time, excluded.last_time)`, params);
      await tx.query(
        `INSERT INTO feed_sources (source, first_received, last_received, last_time, messages)
         SELECT s, min(f::timestamptz), max(l::timestamptz), max(t::timestamptz), sum(b)
           FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[]) AS x(s, m, n, b, f, l, t)
          GROUP BY s ORDER BY s
         ON CONFLICT (source) DO UPDATE SET
           first_received = least(feed_sources.first_received, excluded.first_received),
           last_received = greatest(feed_sources.last_received, excluded.last_received),
           last_time = greatest(feed_sources.last_time, excluded.last_time),
           messages = feed_sources.messages + excluded.messages`, params);
    });
  } catch (e) {
    // Not written: counted again with what comes next (the database may be away for a while).
    const now = pending.get(db) ?? new Map<string, Minute>();
    for (const [k, m] of by) {
      const n = now.get(k);
      if (!n) now.set(k, m);
      else Object.assign(n, { events: n.events + m.events, batches: n.batches + m.batches, first: m.first < n.first ? m.first : n.first, last: m.last > n.last ? m.last : n.last, lastTime: Math.max(n.lastTime, m.lastTime) });
    }
    pending.set(db, now);
    throw e;
  }
}

/** How long a source stays listed after its last message: long silent, it is gone (a feed withdrawn). */
export const LISTED_DAYS = 30;

/**
 * Per source heard from within LISTED_DAYS: the newest believable event time, its last
 * reception; over the last day, its first reception and messages (a batch is one), and its
 * events of the last hour; over its whole history, its first reception and messages. What
 * this process counted is written first.
 */
export async function feedStats(db: SqlClient, now: Date) {
  await flushFeedMinutes(db).catch(() => {}); // what is not written yet only shows later
  return db.query<{ source: string; last_time: unknown; last_received: unknown; first_received: unknown; batches: number; last_hour: number; ever_first: unknown; ever_messages: string | number }>(
    `SELECT s.source, s.last_time, s.last_received, d.first_received, coalesce(d.batches, 0)::int AS batches, coalesce(d.last_hour, 0)::int AS last_hour,
            s.first_received AS ever_first, s.messages AS ever_messages
       FROM feed_sources s
       LEFT JOIN (SELECT source, min(first_received) AS first_received, sum(batches) AS batches,
                         sum(events) FILTER (WHERE minute > $1::timestamptz - interval '1 hour') AS last_hour
                    FROM feed_minutes WHERE minute > $1::timestamptz - interval '1 day' GROUP BY source) d USING (source)
      WHERE s.last_received > $1::timestamptz - make_interval(days => $2)
      ORDER BY s.source`,
    [now.toISOString(), LISTED_DAYS],
  );
}

/** Forgets minutes older than two days (health reads the last one). */
export async function purgeFeedMinutes(db: SqlClient, now: Date): Promise<void> {
  await db.query(`DELETE FROM feed_minutes WHERE minute < $1::timestamptz - interval '2 days'`, [now.toISOString()]);
}
