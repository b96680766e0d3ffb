import type { StoredEvent } from '@vigie/rules';
import { copyField, CopyTextBuffer } from './copy-text.ts';
import { countImport, markImport } from './feed-imports-repo.ts';
import { addFeedMessages, addFeedMinutes } from './feed-minutes-repo.ts';
import { pgMicros, timestamptzArrayParam } from './pg-time.ts';
import { isUniqueViolation, jsonbParam, type SqlClient } from './sql-client.ts';

/** An event to store, its content hash, and optionally its JSON text (else serialised here). */
export type EventRow = { event: StoredEvent; hash: string; json?: string };
export type InsertOutcome = { inserted: StoredEvent[]; duplicates: number; conflicts: { source: string; id: string }[] };

/** An event's key, (source, id), as one string. */
export const eventKey = (e: { source: string; id: string }) => `${e.source}\u0000${e.id}`;

// Parsing a timestamptz from text is a good part of a row's cost. $3: the batch's one received
// time when every row has the same (the pipeline's batches do), parsed once; tm ($4): on
// PGlite, each event's time read in JavaScript and sent in the binary format, null when the
// database must read the text (see `pgMicros`); on PostgreSQL $4 is null (tm null throughout).
const COLUMNS = `b->>'source' AS source, b->>'id' AS id, b->>'type' AS type, COALESCE(tm, (b->>'time')::timestamptz) AS time,
           COALESCE($3::timestamptz, (b->>'receivedAt')::timestamptz) AS received_at, (b->'location'->>'lat')::float8 AS lat,
           (b->'location'->>'lon')::float8 AS lon, (b->>'severity')::int2 AS severity, b AS body, hash`;
// The events go in as one JSON array of their stored bodies (built by joining texts, no
// escaping; the array goes in the binary format), zipped with a text array of their hashes;
// the columns are read from each parsed body, which is parsed once. (Measured against
// typed-array unnest and jsonb_to_recordset, on PGlite and PostgreSQL: the fastest.)
const ROWS = 'FROM ROWS FROM (jsonb_array_elements($1::jsonb), unnest($2::text[]), unnest($4::timestamptz[]))';
const INTO = 'INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash)';

// The usual batch (all new): a plain INSERT, which fails as a whole on the first key already
// stored. It costs about a third less than the statement below, on both engines (no
// speculative insertion, no CTE, nothing returned).
const INSERT_NEW = `${INTO} SELECT ${COLUMNS} ${ROWS} AS t(b, hash, tm)`;

// Any batch: rows already stored are skipped (ON CONFLICT DO NOTHING) and only those come
// back, with the hash stored under their key. That hash is read in the statement's snapshot:
// a row a concurrent transaction committed meanwhile comes back without one and is looked up
// again.
const INSERT_EVENTS = `
  WITH x AS (SELECT ${COLUMNS}, n ${ROWS} WITH ORDINALITY AS t(b, hash, tm, n)),
  ins AS (
    ${INTO}
    SELECT source, id, type, time, received_at, lat, lon, severity, body, hash FROM x
    ON CONFLICT (source, id) DO NOTHING
    RETURNING source, id
  )
  SELECT x.n::int AS n, (SELECT e.hash FROM events e WHERE e.source = x.source AND e.id = x.id) AS hash
    FROM x WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.source = x.source AND ins.id = x.id)`;

// Where the database takes COPY (PostgreSQL), the usual batch goes in that way instead: the
// columns sent as they are, each body parsed once, and the rows written by pages (COPY's
// multi-insert) rather than one by one: half the backend's time of INSERT_NEW, measured.
// Like INSERT_NEW, it fails as a whole on the first key already stored.
const COPY_NEW = 'COPY events (source, id, type, time, received_at, lat, lon, severity, body, hash) FROM STDIN';
// Each row's fields before its body, tab-separated, then the body and the hash written as
// pieces of their own: the body, most of a row, is encoded from the string the pipeline
// built, never copied into a longer one.
const f = copyField;
const copyRows = (rows: EventRow[], bodies: string[], hash: string[]): Buffer => {
  let bodyChars = 0;
  for (const b of bodies) bodyChars += b.length;
  // Room for the other fields of most rows (about 170 bytes for a vehicle position): growing copies it all.
  const text = new CopyTextBuffer(bodyChars + 256 * rows.length);
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i]!.event;
    text.write(`${f(e.source)}\t${f(e.id)}\t${f(e.type)}\t${f(e.time)}\t${f(e.receivedAt)}\t${f(e.location?.lat)}\t${f(e.location?.lon)}\t${f(e.severity)}\t`);
    text.write(f(bodies[i]));
    text.write(`\t${f(hash[i])}\n`);
  }
  return text.bytes();
};

/**
 * Per database and source, whether its last batch held a key already stored: then the next
 * batch goes straight to the general statement (a feed polled again and again repeats most
 * of its events), else it tries the plain INSERT (or COPY) first.
 */
const hadStored = new WeakMap<SqlClient, Map<string, boolean>>();
const MAX_SOURCES = 1000;

/**
 * Run inside the transaction that stores a batch, with the events it stored: whether it sent
 * them on (a node that does not lead the engine sends them to the one that does, with the
 * batch: both commit or neither). Should it fail, the batch is stored without it.
 */
export type Announce = (tx: SqlClient, inserted: StoredEvent[]) => Promise<boolean>;

/**
 * Stores a batch in one statement (two when the plain INSERT or COPY meets a stored key). An already
 * stored (source, id) with the same hash is a duplicate, with another hash a conflict;
 * neither is written again. Call with keys unique within the batch, and outside a
 * transaction: a failed plain INSERT would abort it. `announce`: see `Announce` (the batch is
 * then stored in a transaction with it; `announced` in the outcome: the events it sent on).
 */
export async function insertEvents(db: SqlClient, rows: EventRow[], opts: InsertOptions = {}, announce?: Announce): Promise<InsertOutcome & { announced?: StoredEvent[] }> {
  if (opts.imported || opts.replayed) {
    // An upload, or a dead letter an admin replays (stored now, but its feed did not speak now):
    // its batches are marked first (no event of it is ever taken for a live one), counted after.
    await markImport(db, rows.map((r) => r.event), opts.replayed === true);
    const outcome = await insertAnnounced(db, rows, announce);
    await countImport(db, outcome.inserted);
    return outcome;
  }
  const outcome = await insertAnnounced(db, rows, announce);
  // Feed health's minutes, counted as events are stored (read every 10 s, they spare reading a day of events).
  addFeedMinutes(db, outcome.inserted);
  // A message whose events were all stored already still says its feed speaks.
  if (outcome.inserted.length < rows.length) addFeedMessages(db, storedNothing(rows, outcome.inserted));
  return outcome;
}

/** The (source, received time) of the messages among `rows` none of whose events is in `inserted`. */
function storedNothing(rows: readonly EventRow[], inserted: readonly StoredEvent[]): { source: string; receivedAt: string }[] {
  const key = (e: StoredEvent) => `${e.source}\u0000${e.receivedAt}`;
  const some = new Set(inserted.map(key)), out = new Map<string, StoredEvent>();
  for (const { event } of rows) if (!some.has(key(event))) out.set(key(event), event);
  return [...out.values()];
}

/**
 * `imported`: a one-off upload (a CSV import), not a live feed's message (see feed-imports-repo).
 * `replayed`: a dead letter an admin replays after a fix: stored, evaluated as an upload's
 * events are (see EngineService.process; marked as one, for a resume after a restart), and
 * not counted by feed health as its feed's message (a silent feed stays silent), nor as an upload.
 */
export type InsertOptions = { imported?: boolean; replayed?: boolean };

/** The announcement failed (not the insert): its transaction rolled back. */
class AnnounceFailed extends Error {}

async function insertAnnounced(db: SqlClient, rows: EventRow[], announce: Announce | undefined): Promise<InsertOutcome & { announced?: StoredEvent[] }> {
  if (!announce || rows.length === 0) return insertRows(db, rows);
  const inTransaction = () => db.transaction(async (tx) => {
    const outcome = await insertRows(tx, rows, db);
    let announced = false;
    try {
      announced = outcome.inserted.length > 0 && (await announce(tx, outcome.inserted));
    } catch (e) {
      throw new AnnounceFailed(String(e), { cause: e });
    }
    return { ...outcome, announced: announced ? outcome.inserted : [] };
  });
  try {
    try {
      return await inTransaction();
    } catch (e) {
      // The plain INSERT (or COPY) met a stored key and aborted the transaction: the general statement, in a new one.
      if (!isUniqueViolation(e)) throw e;
      return await inTransaction();
    }
  } catch (e) {
    // The events are stored all the same, unannounced (the caller sends them after the commit, as best it can).
    if (e instanceof AnnounceFailed) return { ...(await insertRows(db, rows)), announced: [] };
    throw e;
  }
}

/**
 * `root`: `db` is a transaction of `root`'s. A plain INSERT (or COPY) that meets a stored key
 * then aborted it: its error is thrown (the caller tries again, and the general statement
 * goes first).
 */
async function insertRows(db: SqlClient, rows: EventRow[], root?: SqlClient): Promise<InsertOutcome> {
  if (rows.length === 0) return { inserted: [], duplicates: 0, conflicts: [] };
  // On PGlite (the database's thread is the busier one) the times are read here; PostgreSQL
  // reads text about as fast as the main thread would, which is the busier one there.
  const binaryTimes = db.kind === 'pglite';
  const bodies = new Array<string>(rows.length), hash = new Array<string>(rows.length), times = new Array<bigint | undefined>(binaryTimes ? rows.length : 0);
  let receivedAt: string | null = rows[0]!.event.receivedAt;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    bodies[i] = r.json ?? JSON.stringify(r.event);
    hash[i] = r.hash;
    if (binaryTimes) times[i] = pgMicros(r.event.time);
    if (r.event.receivedAt !== receivedAt) receivedAt = null;
  }
  // Built once, and only for a statement that takes them (not for COPY).
  let built: unknown[] | undefined;
  const params = () => (built ??= [jsonbParam(`[${bodies.join(',')}]`), hash, receivedAt, binaryTimes ? timestamptzArrayParam(times) : null]);
  const source = rows[0]!.event.source;
  const of = root ?? db;
  let seen = hadStored.get(of);
  if (!seen) hadStored.set(of, (seen = new Map()));
  if (!seen.get(source)) {
    try {
      if (db.copyFrom) await db.copyFrom(COPY_NEW, copyRows(rows, bodies, hash));
      else await db.query(INSERT_NEW, params());
      return { inserted: rows.map((r) => r.event), duplicates: 0, conflicts: [] };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (root) {
        seen.set(source, true);
        throw e;
      }
    }
  }
  const skipped = await db.query<{ n: number; hash: string | null }>(INSERT_EVENTS, params());
  if (seen.size >= MAX_SOURCES && !seen.has(source)) seen.clear();
  seen.set(source, skipped.length > 0);
  if (skipped.length === 0) return { inserted: rows.map((r) => r.event), duplicates: 0, conflicts: [] };

  const notInserted = new Set<number>();
  const stored = new Map<number, string | null>();
  for (const s of skipped) { notInserted.add(s.n - 1); stored.set(s.n - 1, s.hash); }
  // Committed by another transaction after this statement's snapshot: read them now.
  const unseen = [...stored].filter(([, h]) => h === null).map(([i]) => i);
  if (unseen.length) {
    const byKey = await storedHashes(db, unseen.map((i) => rows[i]!.event));
    for (const i of unseen) stored.set(i, byKey.get(eventKey(rows[i]!.event)) ?? null);
  }
  let duplicates = 0;
  const conflicts: { source: string; id: string }[] = [];
  for (const [i, h] of [...stored].sort((a, b) => a[0] - b[0])) {
    if (h === hash[i]) duplicates++;
    else conflicts.push({ source: rows[i]!.event.source, id: rows[i]!.event.id });
  }
  return { inserted: rows.filter((_, i) => !notInserted.has(i)).map((r) => r.event), duplicates, conflicts };
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
  // The cursor keeps the time as the database's text (microseconds: event times may hold more than JavaScript's milliseconds).
  const rows = await db.query<{ body: StoredEvent; time: string; source: string; id: string }>(
    `SELECT body, time::text AS time, source, id FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY time DESC, source DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => r.body),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.time, s: last.source, i: last.id }) : null,
  };
}

/** The stored hashes of these events, by `source\u0000id` (those stored). */
export async function storedHashes(db: SqlClient, keys: readonly { source: string; id: string }[]): Promise<Map<string, string>> {
  const rows = await db.query<{ source: string; id: string; hash: string }>(
    'SELECT e.source, e.id, e.hash FROM events e JOIN unnest($1::text[], $2::text[]) AS k(source, id) ON e.source = k.source AND e.id = k.id',
    [keys.map((k) => k.source), keys.map((k) => k.id)]);
  return new Map(rows.map((r) => [eventKey(r), r.hash]));
}

/**
 * Whether an event of `source` was received after `since` (ISO): a range of the received-time
 * index, the events received since then, not the source's whole history.
 */
export async function receivedSince(db: SqlClient, source: string, since: string): Promise<boolean> {
  const [row] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM events WHERE received_at > $2::timestamptz AND source = $1) AS any', [source, since]);
  return row?.any === true;
}

/** The stored events under these keys, by key (to tell an event sent again from a conflicting one). */
export async function storedEvents(db: SqlClient, keys: readonly { source: string; id: string }[]): Promise<Map<string, StoredEvent>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<{ source: string; id: string; body: StoredEvent }>(
    'SELECT e.source, e.id, e.body FROM events e JOIN unnest($1::text[], $2::text[]) AS k(source, id) ON e.source = k.source AND e.id = k.id',
    [keys.map((k) => k.source), keys.map((k) => k.id)]);
  return new Map(rows.map((r) => [eventKey(r), r.body]));
}

/** The events of one source with these ids (any age), newest first. */
export async function eventsByIds(db: SqlClient, source: string, ids: readonly string[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ body: StoredEvent }>('SELECT body FROM events WHERE source = $1 AND id = ANY($2::text[]) ORDER BY time DESC', [source, ids]);
  return rows.map((r) => r.body);
}

/** Where a replay stands: at `at`, or after the event (`source`, `id`) received at `at`. */
export type ReplayCursor = { at: string; source?: string; id?: string };

/**
 * Events received at or after the cursor's time (after its event, when it names one), in
 * (received_at, source, id) order: a page never cuts a batch (its events share one received_at)
 * in a way that loses the rest of it.
 */
export async function eventsReceivedFrom(db: SqlClient, from: ReplayCursor, limit: number): Promise<StoredEvent[]> {
  const after = from.source !== undefined && from.id !== undefined;
  const rows = await db.query<{ body: StoredEvent }>(
    `SELECT body FROM events WHERE received_at >= $1::timestamptz
        ${after ? 'AND (received_at, source, id) > ($1::timestamptz, $3, $4)' : ''}
      ORDER BY received_at, source, id LIMIT $2`,
    after ? [from.at, limit, from.source, from.id] : [from.at, limit],
  );
  return rows.map((r) => r.body);
}

