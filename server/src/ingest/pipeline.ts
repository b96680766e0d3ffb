import { Event, type ItemReason, type StoredEvent } from '@vigie/rules';
import type { ErrorCode } from '../errors/catalogue.ts';
import { eventKey, insertEvents, storedEvents, type Announce, type InsertOptions, type InsertOutcome } from '../storage/events-repo.ts';
import { isRefusedByDatabase, type SqlClient } from '../storage/sql-client.ts';
import { fastEvent } from './fast-event.ts';
import { hashEvent } from './hash.ts';
import { describeIssue } from './item-reason.ts';
import { sameEvent } from './same-event.ts';
import { UNSTORABLE, unstorableText } from './unstorable-text.ts';
import type { Pseudonymiser } from './pseudonymise.ts';

export const MAX_BATCH_ITEMS = 1000;

/** Why an item was refused: an error code, an English message, the field, and the reason as data. */
export type ItemError = { code: ErrorCode; message: string; field?: string; reason?: ItemReason };
export type IngestResult = {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: ItemError }[];
};
/** Who sends: the sources a feed token may write, or null for any. */
export type Sender = { name: string; sources: string[] | null };

/**
 * `how.imported`: the events came with a one-off upload (a CSV import), not from a live feed;
 * `announced`: those of them the announcer sent on with the batch (see `setAnnouncer`).
 */
export type StoredListener = (events: StoredEvent[], how: InsertOptions, announced: ReadonlySet<StoredEvent>) => void;
/** Asked before each batch: what to run in its transaction with its stored events (see `Announce`), or nothing (no transaction then). */
export type Announcer = (how: InsertOptions) => Announce | undefined;

const NONE: ReadonlySet<StoredEvent> = new Set();
/**
 * How far ahead of its reception an event's time may be: a planned disruption (a GTFS-RT alert
 * for works months ahead, a CAP warning's onset) is stored; a year 9999 or 2100, a wrong clock
 * or a wrong field, is refused (it would stay the newest event for good). Nothing before 1970.
 */
export const MAX_TIME_AHEAD_DAYS = 366;
const EARLIEST_TIME = Date.UTC(1970, 0, 1);

/** Why an event's time is out of the range stored, or undefined when it is in it. */
function timeOutOfRange(time: string, receivedAt: string): string | undefined {
  const t = Date.parse(time);
  if (t < EARLIEST_TIME) return 'before 1970';
  if (t > Date.parse(receivedAt) + MAX_TIME_AHEAD_DAYS * 86_400_000) return `more than ${MAX_TIME_AHEAD_DAYS} days ahead of now`;
  return undefined;
}

/**
 * Validate → pseudonymise → de-duplicate → persist → hand on. Each item stands alone: a bad
 * one is rejected with its index and reason and never costs the valid ones. Listeners hear
 * of the new events only once they are committed.
 */
export class IngestPipeline {
  private listeners: StoredListener[] = [];
  readonly counters = { accepted: 0, duplicates: 0, rejected: 0 };

  constructor(private readonly db: SqlClient, private readonly pseudonymiser: Pseudonymiser, private readonly now: () => Date) {}

  private announcer?: Announcer;

  /**
   * Asked before each batch for something to do inside its transaction, with the events it
   * stores (a node that does not lead the engine sends them to the one that does): both
   * commit, or neither. When it gives nothing, the batch is stored as it is (no transaction).
   */
  setAnnouncer(announcer: Announcer): void {
    this.announcer = announcer;
  }

  onStored(listener: StoredListener): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  /** Validates, stores and hands on a batch; `marks`: see `ItemMarks`. */
  async ingest(items: unknown[], sender: Sender, how: InsertOptions = {}, marks?: ItemMarks): Promise<IngestResult> {
    await nextTurn();
    return this.store(this.prepare(items, sender, marks), how);
  }

  /**
   * The checks without the database (`prepareBatch`, received now or at `receivedAt`), for
   * `write` later: a subscriber prepares its next message while the current one is being
   * written. `marks`: what the feed's format says of some items (see `ItemMarks`).
   */
  prepare(items: unknown[], sender: Sender, marks?: ItemMarks, receivedAt: Date = this.now()): PreparedBatch {
    return prepareBatch(items, sender, this.pseudonymiser, receivedAt.toISOString(), marks);
  }

  /** Writes a batch `prepare` gave: `ingest` in two steps. */
  async write(batch: PreparedBatch, how: InsertOptions = {}): Promise<IngestResult> {
    await nextTurn();
    return this.store(batch, how);
  }

  private async store({ rows, rejected: refused, duplicates, later = [] }: PreparedBatch, how: InsertOptions): Promise<IngestResult> {
    restampIfStale(rows, this.now());
    restampIfStale(later, this.now());
    const rejected = [...refused];
    const announce = this.announcer?.(how);
    const outcome = await insertIsolating(this.db, rows, how, announce);
    // Committed: told at once, before anything else may fail (the message would be retried, these found stored, never told).
    this.told(outcome, how);
    let accepted = outcome.inserted.length;
    duplicates += outcome.duplicates;
    const refusedRows = [...outcome.refused];
    const revisions: PreparedRow[] = [];
    if (outcome.conflicts.length || later.length) {
      const rowOf = new Map(rows.map((r) => [eventKey(r.event), r]));
      // The rows whose key was stored with another body, and the batch's own later revisions of a key it held.
      const conflicts = [...outcome.conflicts.map((c) => rowOf.get(eventKey(c))!), ...later];
      const stored = await storedEvents(this.db, conflicts.map((r) => r.event));
      const revisionIds = new Set<string>();
      for (const r of conflicts) {
        const was = stored.get(eventKey(r.event));
        // The same event sent again written otherwise, or stored before a key rotation (as a previous key made it): a duplicate.
        if (was && [r.event, ...(r.former ?? [])].some((x) => sameEvent(was, x, r.timeAssumed === true, r.placed === true))) duplicates++;
        else if (r.revisable) {
          const revision = revised(r), id = eventKey(revision.event);
          if (revisionIds.has(id)) duplicates++;
          else { revisionIds.add(id); revisions.push(revision); }
        } else rejected.push({ index: r.index, error: conflict(r.event) });
      }
    }
    if (revisions.length) {
      // Stored under their revision's id; sent again, that id is already stored with the same body: a duplicate.
      const more = await insertIsolating(this.db, revisions, how, announce);
      this.told(more, how);
      accepted += more.inserted.length;
      duplicates += more.duplicates;
      refusedRows.push(...more.refused);
      const rowOf = new Map(revisions.map((r) => [eventKey(r.event), r]));
      for (const c of more.conflicts) rejected.push({ index: rowOf.get(eventKey(c))!.index, error: conflict(c) });
    }
    for (const r of refusedRows) rejected.push({ index: r.row.index, error: refusedByDatabase(r.error) });
    rejected.sort((a, b) => a.index - b.index);

    const result = { accepted, duplicates, rejected };
    this.counters.duplicates += result.duplicates;
    this.counters.rejected += rejected.length;
    return result;
  }

  /** Counts the events a write stored, and tells the listeners of them. */
  private told(outcome: Isolated, how: InsertOptions): void {
    if (!outcome.inserted.length) return;
    this.counters.accepted += outcome.inserted.length;
    const announced = outcome.announced.length ? new Set(outcome.announced) : NONE;
    for (const l of this.listeners) l(outcome.inserted, how, announced);
  }
}

// One turn of the event loop per batch: a backlog of batches (an MQTT burst, a large CSV)
// would otherwise run back to back in microtasks and starve timers (cron jobs, live pushes).
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What a feed's format says of some items of a batch, by their index in it:
 * - `timeAssumed`: the message gave them no time of their own (see `sameEvent`);
 * - `revisable`: their source may send a changed state under the same id (an NGSI-LD entity
 *   updated at the same observed time, an alert escalated): a changed body is not a conflict
 *   but a revision, stored under the id followed by `~` and 12 characters of its content hash;
 * - `placed`: Vigie gave them their location and stop name (the stop they name), not their feed:
 *   sent again with none, or placed or named otherwise (the stops were imported meanwhile), they
 *   are the same event.
 */
export type ItemMarks = { timeAssumed?: ReadonlySet<number>; revisable?: ReadonlySet<number>; placed?: ReadonlySet<number> };

/**
 * A valid item, pseudonymised, with its index in the batch, content hash and JSON text (as
 * stored). `former`: the item as each previous pseudonym key made it (a key was rotated: it
 * may be stored so); `timeAssumed`, `revisable`, `placed`: see `ItemMarks`.
 */
export type PreparedRow = { index: number; hash: string; event: StoredEvent; json: string; former?: Event[]; timeAssumed?: true; revisable?: true; placed?: true };

/** A revisable row as its revision: its id followed by a digest of its (pseudonymised) content, so that the same revision sent again has the same id. */
function revised(r: PreparedRow): PreparedRow {
  const event = { ...r.event, id: `${r.event.id}~${r.hash.slice(0, 12)}` };
  return { index: r.index, event, ...hashEvent(event, event.receivedAt) };
}

export type PreparedBatch = {
  /** Valid items, pseudonymised, one per (source, id), with their index in the batch and content hash. */
  rows: PreparedRow[];
  rejected: IngestResult['rejected'];
  /** Items repeated within the batch with the same body. */
  duplicates: number;
  /** Revisable items whose key an earlier item of the batch holds with another body: written after it (see `ItemMarks`). */
  later?: PreparedRow[];
};

/**
 * The pipeline's checks without the database: validate, check the sender may write the
 * source, pseudonymise, hash, de-duplicate within the batch. Pure: the same items give the
 * same outcome (property tests run it on many thousands of payloads).
 */
export function prepareBatch(items: unknown[], sender: Sender, pseudonymiser: Pseudonymiser, receivedAt: string, marks?: ItemMarks): PreparedBatch {
  const rejected: IngestResult['rejected'] = [];
  const byKey = new Map<string, PreparedRow>();
  const later: PreparedRow[] = [];
  let duplicates = 0;
  items.forEach((item, index) => {
    let e = fastEvent(item);
    if (!e) {
      const parsed = Event.safeParse(item);
      if (!parsed.success) {
        const { field, message, reason } = describeIssue(parsed.error.issues[0]!, item);
        rejected.push({ index, error: { code: 'VIGIE_VALIDATION', field, message: field ? `${field}: ${message}` : message, reason } });
        return;
      }
      e = parsed.data;
    }
    const bad = unstorableText(e);
    if (bad) {
      rejected.push({ index, error: { code: 'VIGIE_VALIDATION', field: bad.field, message: `${bad.field}: ${UNSTORABLE[bad.key]}, which cannot be stored`, reason: { key: bad.key } } });
      return;
    }
    const outOfRange = timeOutOfRange(e.time, receivedAt);
    if (outOfRange) {
      rejected.push({ index, error: { code: 'VIGIE_VALIDATION', field: 'time', message: `time: ${outOfRange}`, reason: { key: 'time_range', limit: MAX_TIME_AHEAD_DAYS } } });
      return;
    }
    if (sender.sources && !sender.sources.includes(e.source)) {
      rejected.push({ index, error: { code: 'VIGIE_TOKEN_FORBIDDEN', field: 'source', message: `this feed token may not send for source "${e.source}"`, reason: { key: 'forbidden_source' } } });
      return;
    }
    // As stored before a key rotation, for recognising it again (only with personal attributes and a previous key).
    const former = pseudonymiser.underPreviousKeys(e);
    const clean = pseudonymiser.applyInPlace(e); // e is a copy (fastEvent's or zod's)
    const { hash, json } = hashEvent(clean, receivedAt);
    const key = eventKey(e);
    const assumed = marks?.timeAssumed?.has(index) === true, revisable = marks?.revisable?.has(index) === true, placed = marks?.placed?.has(index) === true;
    const stored = clean as StoredEvent;
    stored.receivedAt = receivedAt;
    const row: PreparedRow = { index, hash, event: stored, json };
    if (former.length) row.former = former;
    if (assumed) row.timeAssumed = true;
    if (revisable) row.revisable = true;
    if (placed) row.placed = true;
    const prior = byKey.get(key);
    if (prior) {
      if (prior.hash === hash || sameEvent(prior.event, clean, assumed, placed)) duplicates++;
      else if (revisable) later.push(row); // after the batch: compared then with what is stored under its key
      else rejected.push({ index, error: conflict(e) });
      return;
    }
    byKey.set(key, row);
  });
  return { rows: [...byKey.values()], rejected, duplicates, ...(later.length ? { later } : {}) };
}

/**
 * A batch prepared a while ago (a message tried again while the database was away) is stamped
 * received when it is written: the engine's snapshots replay from a point a few seconds before
 * the newest event they hold, which a batch stamped minutes earlier would fall behind.
 */
const RESTAMP_AFTER_MS = 1000;
function restampIfStale(rows: PreparedRow[], now: Date): void {
  const first = rows[0];
  if (!first || now.getTime() - Date.parse(first.event.receivedAt) < RESTAMP_AFTER_MS) return;
  const at = now.toISOString(), tail = `,"receivedAt":${JSON.stringify(at)}}`;
  for (const r of rows) {
    r.event.receivedAt = at;
    r.json = r.json.slice(0, r.json.lastIndexOf(',"receivedAt":')) + tail;
  }
}

/**
 * `insertEvents`, but where the database refuses the statement itself (a value it cannot
 * take that validation let through), the batch is split in halves until the refused items
 * are alone: they are refused, the others stored. Nothing valid is lost to one bad item.
 */
type Isolated = InsertOutcome & { announced: StoredEvent[]; refused: { row: PreparedRow; error: unknown }[] };
async function insertIsolating(db: SqlClient, rows: PreparedRow[], how: InsertOptions, announce: Announce | undefined): Promise<Isolated> {
  try {
    const outcome = await insertEvents(db, rows, how, announce);
    return { ...outcome, announced: outcome.announced ?? [], refused: [] };
  } catch (e) {
    if (!isRefusedByDatabase(e)) throw e;
    if (rows.length === 1) return { inserted: [], duplicates: 0, conflicts: [], announced: [], refused: [{ row: rows[0]!, error: e }] };
    const half = rows.length >> 1;
    const a = await insertIsolating(db, rows.slice(0, half), how, announce), b = await insertIsolating(db, rows.slice(half), how, announce);
    return {
      inserted: [...a.inserted, ...b.inserted], duplicates: a.duplicates + b.duplicates, conflicts: [...a.conflicts, ...b.conflicts],
      announced: [...a.announced, ...b.announced], refused: [...a.refused, ...b.refused],
    };
  }
}

const refusedByDatabase = (e: unknown): ItemError => ({
  code: 'VIGIE_EVENT_INVALID',
  message: `the database refused this item: ${e instanceof Error ? e.message : String(e)}`,
  reason: { key: 'invalid' },
});

const conflict = (e: { source: string; id: string }): ItemError => ({
  code: 'VIGIE_EVENT_CONFLICT',
  field: 'id',
  message: `an event ${e.source}/${e.id} is already stored with a different body`,
  reason: { key: 'conflict' },
});
