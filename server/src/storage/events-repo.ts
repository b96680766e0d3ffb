import type { StoredEvent } from '@vigie/rules';
import { iso, type SqlClient } from './sql-client.ts';

export type EventRow = { event: StoredEvent; hash: string };
export type InsertOutcome = { inserted: StoredEvent[]; duplicates: number; conflicts: { source: string; id: string }[] };

const keyOf = (e: { source: string; id: string }) => `${e.source}\u0000${e.id}`;

/**
 * Stores a batch in one statement. An already stored (source, id) with the same hash is a
 * duplicate, with another hash a conflict; neither is written again. Call with keys unique
 * within the batch.
 */
export async function insertEvents(db: SqlClient, rows: EventRow[]): Promise<InsertOutcome> {
  if (rows.length === 0) return { inserted: [], duplicates: 0, conflicts: [] };
  // One statement either way; each engine gets the form it runs fastest (measured by
  // `npm run bench:ingest`): typed arrays through unnest on PGlite, one JSON document on PostgreSQL.
  const inserted = db.kind === 'pglite'
    ? await db.query<{ source: string; id: string }>(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[],
                            $6::float8[], $7::float8[], $8::int2[], $9::jsonb[], $10::text[])
       ON CONFLICT (source, id) DO NOTHING
       RETURNING source, id`,
      [rows.map((r) => r.event.source), rows.map((r) => r.event.id), rows.map((r) => r.event.type), rows.map((r) => r.event.time),
        rows.map((r) => r.event.receivedAt), rows.map((r) => r.event.location?.lat ?? null), rows.map((r) => r.event.location?.lon ?? null),
        rows.map((r) => r.event.severity ?? null), rows.map((r) => JSON.stringify(r.event)), rows.map((r) => r.hash)],
    )
    : await db.query<{ source: string; id: string }>(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash)
       SELECT source, id, type, time, received_at, lat, lon, severity, body, hash
         FROM jsonb_to_recordset($1::jsonb) AS x(source text, id text, type text, time timestamptz,
              received_at timestamptz, lat float8, lon float8, severity int2, body jsonb, hash text)
       ON CONFLICT (source, id) DO NOTHING
       RETURNING source, id`,
      [JSON.stringify(rows.map(({ event: e, hash }) => ({
        source: e.source, id: e.id, type: e.type, time: e.time, received_at: e.receivedAt,
        lat: e.location?.lat ?? null, lon: e.location?.lon ?? null, severity: e.severity ?? null,
        body: e, hash,
      })))],
    );
  const insertedKeys = new Set(inserted.map(keyOf));
  const rest = rows.filter((r) => !insertedKeys.has(keyOf(r.event)));
  let duplicates = 0;
  const conflicts: { source: string; id: string }[] = [];
  if (rest.length) {
    const existing = await db.query<{ source: string; id: string; hash: string }>(
      `SELECT e.source, e.id, e.hash FROM events e
         JOIN jsonb_to_recordset($1::jsonb) AS x(source text, id text) ON e.source = x.source AND e.id = x.id`,
      [JSON.stringify(rest.map((r) => ({ source: r.event.source, id: r.event.id })))],
    );
    const hashes = new Map(existing.map((r) => [keyOf(r), r.hash]));
    for (const r of rest) {
      if (hashes.get(keyOf(r.event)) === r.hash) duplicates++;
      else conflicts.push({ source: r.event.source, id: r.event.id });
    }
  }
  return { inserted: rows.filter((r) => insertedKeys.has(keyOf(r.event))).map((r) => r.event), duplicates, conflicts };
}

export type EventQuery = { source?: string; type?: string; since?: string; until?: string; limit: number; cursor?: string };

type Cursor = { t: string; s: string; i: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    return typeof c.t === 'string' && typeof c.s === 'string' && typeof c.i === 'string' && !Number.isNaN(Date.parse(c.t)) ? c : undefined;
  } catch {
    return undefined;
  }
}

/** Stored events, newest first; `nextCursor` continues after the last one. */
export async function listEvents(db: SqlClient, q: EventQuery): Promise<{ events: StoredEvent[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (q.source) add('source = ?', q.source);
  if (q.type) q.type.endsWith('*') ? add('type LIKE ?', `${q.type.slice(0, -1).replace(/[%_]/g, '\\$&')}%`) : add('type = ?', q.type);
  if (q.since) add('time >= ?', q.since);
  if (q.until) add('time < ?', q.until);
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
  if (cursor) {
    params.push(cursor.t, cursor.s, cursor.i);
    const n = params.length;
    where.push(`(time, source, id) < ($${n - 2}::timestamptz, $${n - 1}, $${n})`);
  }
  params.push(q.limit + 1);
  const rows = await db.query<{ body: StoredEvent; time: unknown; source: string; id: string }>(
    `SELECT body, time, source, id FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY time DESC, source DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => r.body),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: iso(last.time), s: last.source, i: last.id }) : null,
  };
}

/** Events stored since `since` (received time), oldest first: replayed into the engine after a restart. */
export async function eventsReceivedSince(db: SqlClient, since: string, limit: number): Promise<StoredEvent[]> {
  const rows = await db.query<{ body: StoredEvent }>(
    'SELECT body FROM events WHERE received_at > $1 ORDER BY received_at, time LIMIT $2',
    [since, limit],
  );
  return rows.map((r) => r.body);
}

/** Per source: last event time, last received time, events received in the last hour. */
export async function feedStats(db: SqlClient, now: Date) {
  return db.query<{ source: string; last_time: unknown; last_received: unknown; last_hour: number }>(
    `SELECT source, max(time) AS last_time, max(received_at) AS last_received,
            count(*) FILTER (WHERE received_at > $1::timestamptz - interval '1 hour')::int AS last_hour
       FROM events WHERE received_at > $1::timestamptz - interval '1 day' GROUP BY source ORDER BY source`,
    [now.toISOString()],
  );
}
