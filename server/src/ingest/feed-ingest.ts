import { createHash } from 'node:crypto';
import { errorBody, ERRORS, type ErrorCode } from '../errors/catalogue.ts';
import { type Adapter, type Decoded, type DecodedItem, FeedFormatError, stripNul } from '../feeds/adapter.ts';
import { cityZonesOf } from '../feeds/cap/city-area.ts';
import { endTemporaryZones, upsertTemporaryZones } from '../feeds/cap/temporary-zones.ts';
import type { StopPlaces } from '../feeds/gtfs-static/stop-places.ts';
import { ADAPTERS } from '../feeds/registry.ts';
import type { Logger } from '../logger.ts';
import { receivedSince } from '../storage/events-repo.ts';
import { addFeedMessages } from '../storage/feed-minutes-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { batchRefusal } from './batch-refusal.ts';
import { type Claim, EntityStates } from './entity-states.ts';
import { addDeadLetter, getDeadLetter, markReplayed } from './dead-letters.ts';
import { type IngestPipeline, type IngestResult, type ItemMarks, MAX_BATCH_ITEMS, type PreparedBatch, type Sender } from './pipeline.ts';
import type { FeedRateLimiter } from './rate-limit.ts';
import type { Sealer } from './seal.ts';

/** Largest payload per format: CSV exports may be big, the rest come in small messages. */
export const MAX_FEED_BYTES = 1024 * 1024;
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const maxBytes = (format: string) => (format === 'csv' ? MAX_CSV_BYTES : MAX_FEED_BYTES);
/** A message a broker or a poller hands over (a large operator's whole vehicle feed runs to several MiB). */
export const MAX_UNATTENDED_BYTES = 64 * 1024 * 1024;
/** Whole-message refusals of one broker mapping or poll kept as dead letters per hour (see FeedIngest.keepRefused). */
export const REFUSED_KEPT_PER_HOUR = 20;

const SOURCE_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** The dead letter's option that says its message was an upload. */
const IMPORT_OPTION = 'import';

export type FeedMessage = {
  format: string;
  source: string | undefined;
  body: Buffer;
  sender: Sender;
  /** The request's media type, checked against the adapter's when given (HTTP). */
  contentType?: string;
  options?: Record<string, string>;
  /**
   * From a broker or a poller: nobody reads the answer, so a message refused as a whole is
   * kept as a dead letter and logged (an HTTP client is told instead), and it may be as large
   * as MAX_UNATTENDED_BYTES.
   */
  unattended?: boolean;
  /** Apply the sender's rate limit (HTTP pushes); brokers and pollers are admin-configured. */
  rateLimited?: boolean;
  /** A replay of a dead letter: recorded on that dead letter, not as a new one. */
  replay?: boolean;
  /**
   * A one-off upload (the console's CSV import, `?import=true`), not a live feed's message: feed
   * health lists its source as imported, never late or silent, and only its recent events reach
   * the rules (see EngineService.process). Kept with its dead letter (option `import`), so that
   * a replay is an upload too.
   */
  imported?: boolean;
};
/** An HTTP-shaped answer, so that every transport (HTTP, MQTT, polling) shares one outcome. */
export type FeedAnswer = { status: number; body: IngestResult | ReturnType<typeof errorBody>; retryAfter?: number; deadLetter?: number };

export type FeedIngestDeps = {
  db: SqlClient;
  pipeline: IngestPipeline;
  sealer: Sealer;
  limiter: FeedRateLimiter;
  log: Logger;
  now: () => Date;
  timeZone: string;
  /** Called after a message brought temporary zones (CAP areas). */
  onZones: () => Promise<void>;
  /** CAP geocodes naming an area that holds the whole city (see `parseCityGeocodes`); none when absent. */
  cityGeocodes?: ReadonlySet<string>;
  /** The imported transit stops: an item naming one and no position of its own is placed there (none when absent). */
  stops?: StopPlaces;
};

/**
 * A message's checks and decoding, and when they ran; with `prepare`, also its items checked
 * by the pipeline, one batch per MAX_BATCH_ITEMS.
 */
export type Prechecked = { now: Date; checked: ReturnType<FeedIngest['check']>; prepared?: PreparedBatch[] };

/** Per source: messages read and refused since start (feed health). */
export type FeedCounters = { messages: number; malformed: number; lastMessageAt: string | null };

/**
 * Whether `stripNul` would give anything but an equal copy: a NUL character in a string or a
 * key, or a value it would not copy as it is (not a plain object or array, a sparse array).
 * Most decoded items have none, and are not copied.
 */
export function needsStrip(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || needsStrip(v[i])) return true;
    return false;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return true;
  if (Object.getOwnPropertySymbols(v).length) return true;
  for (const k of Object.getOwnPropertyNames(v)) {
    if (k.includes('\u0000') || !Object.prototype.propertyIsEnumerable.call(v, k) || needsStrip((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/** What the adapter marked in a chunk's items, by their position in it (see `DecodedItem`, `ItemMarks`). */
function marksIn(chunk: readonly DecodedItem[]): ItemMarks | undefined {
  let out: { timeAssumed?: Set<number>; revisable?: Set<number>; placed?: Set<number> } | undefined;
  chunk.forEach((x, i) => {
    if (x.timeAssumed) ((out ??= {}).timeAssumed ??= new Set()).add(i);
    if (x.revisable) ((out ??= {}).revisable ??= new Set()).add(i);
    if (x.placed) ((out ??= {}).placed ??= new Set()).add(i);
  });
  return out;
}

const fail = (code: ErrorCode, message?: string, details?: unknown): FeedAnswer => ({ status: ERRORS[code].status, body: errorBody(code, message, details) });

/**
 * The one way a standard-format message gets in: checks, its adapter, then the ingest
 * pipeline. Refused payloads and refused items go to the dead-letter store (sealed) with
 * the reason, to be replayed after a fix; valid items are never lost because of bad ones.
 */
export class FeedIngest {
  readonly counters = new Map<string, FeedCounters>();
  /** The last state stored for the entities of feeds without times of their own (see `DecodedItem.entity`). */
  private readonly states = new EntityStates();

  /** Per source, when this node last stored events of it (ISO): another node's since makes its entity states untrustworthy. */
  private readonly storedHere = new Map<string, string>();

  constructor(private readonly d: FeedIngestDeps) {
    d.pipeline.onStored((events) => {
      let last = '';
      for (const e of events) {
        if (e.receivedAt === last) continue; // a batch shares one
        last = e.receivedAt;
        const was = this.storedHere.get(e.source);
        if (was === undefined || e.receivedAt > was) this.storedHere.set(e.source, e.receivedAt); // ISO times in UTC compare as text
      }
    });
  }

  /**
   * Forgets the entity states of the items' sources that another node stored events of since
   * this one last did: a change it stored would make the next change here look like a repeat.
   */
  private async distrustOthers(items: readonly DecodedItem[]): Promise<void> {
    const sources = new Set(items.filter((x) => x.entity !== undefined).map((x) => (x.item as { source: string }).source));
    for (const source of sources) {
      const mine = this.storedHere.get(source);
      if (mine === undefined || (await receivedSince(this.d.db, source, mine))) this.states.distrust(source);
    }
  }

  /**
   * Reads the imported transit stops again (after a GTFS static import): the next messages are
   * placed by them. A failure is logged, not thrown: the import is stored, and the five-minute
   * reload reads it.
   */
  async reloadStops(): Promise<void> {
    try {
      await this.d.stops?.load();
    } catch (e) {
      this.d.log.warn('transit stops: reading them again after an import failed', { error: String(e) });
    }
  }

  adapter(format: string): Adapter | undefined {
    return Object.hasOwn(ADAPTERS, format) ? ADAPTERS[format] : undefined;
  }

  /**
   * Everything before the database: the request's checks and the adapter. Either a refusal
   * (with the FeedFormatError when the payload could not be read) or the decoded items. Pure,
   * but for logging an adapter that failed otherwise (a bug to fix).
   */
  check(m: FeedMessage, now: Date): { refusal: FeedAnswer; malformed?: FeedFormatError } | { decoded: Decoded } {
    const adapter = this.adapter(m.format);
    if (!adapter) return { refusal: fail('VIGIE_NOT_FOUND', `no format "${m.format}"; formats: ${Object.keys(ADAPTERS).join(', ')}`) };
    if (!m.source && !adapter.sourceInItems) return { refusal: fail('VIGIE_VALIDATION', 'source: required (?source=<sourceId>)', { field: 'source' }) };
    if (m.source !== undefined && !SOURCE_RE.test(m.source)) return { refusal: fail('VIGIE_VALIDATION', 'source: lower-case letters, digits, "_", "." or "-", at most 64', { field: 'source' }) };
    if (m.source !== undefined && m.sender.sources && !m.sender.sources.includes(m.source)) return { refusal: fail('VIGIE_TOKEN_FORBIDDEN', `this feed token may not send for source "${m.source}"`, { field: 'source' }) };
    if (m.contentType !== undefined && adapter.contentTypes.length && !adapter.contentTypes.includes(m.contentType.split(';')[0]!.trim().toLowerCase())) {
      return { refusal: fail('VIGIE_BAD_CONTENT_TYPE', `${m.format} takes ${adapter.contentTypes.join(' or ')}`, { field: 'content-type' }) };
    }
    const limit = m.unattended ? MAX_UNATTENDED_BYTES : maxBytes(m.format);
    if (m.body.length > limit) return { refusal: fail('VIGIE_BATCH_TOO_LARGE', `a ${m.format} message holds at most ${limit} bytes; this one has ${m.body.length}`, { limitBytes: limit }) };
    try {
      const decoded = adapter.decode(m.body, { source: m.source ?? '', now, timeZone: this.d.timeZone, options: m.options });
      const stops = this.d.stops, source = m.source ?? '';
      const items = decoded.items.map((x): DecodedItem => {
        const clean = needsStrip(x.item) ? stripNul(x.item) : x.item;
        const placed = stops?.place(clean, source);
        return placed === undefined ? { ...x, item: clean } : { ...x, item: placed, placed: true };
      });
      return { decoded: { ...decoded, items } };
    } catch (e) {
      // An adapter that fails otherwise (a payload it did not foresee) refuses the message all the same, kept as a dead letter: never a 500, never lost.
      const malformed = e instanceof FeedFormatError ? e : new FeedFormatError(`the ${m.format} message could not be read: ${e instanceof Error ? e.message : String(e)}`);
      if (!(e instanceof FeedFormatError)) this.d.log.error('feed adapter failed on a message', { format: m.format, source: m.source, error: String(e) });
      return { refusal: fail('VIGIE_FEED_MALFORMED', malformed.message, { field: malformed.field }), malformed };
    }
  }

  /**
   * Canonical events as Vigie places them, as every format's items are (see `StopPlaces.place`:
   * at the stop they name, when they carry no position), with the mark of those it placed
   * (`POST /api/v1/events`, a CSV import's preview). Each item names its own source.
   */
  placeEvents(items: unknown[]): { items: unknown[]; marks?: ItemMarks } {
    const stops = this.d.stops;
    if (!stops?.size) return { items };
    const placed = new Set<number>();
    const out = items.map((item, i) => {
      const p = stops.place(item, '');
      if (p === undefined) return item;
      placed.add(i);
      return p;
    });
    return placed.size ? { items: out, marks: { placed } } : { items: out };
  }

  /**
   * Items as they would be stored, storing nothing (a preview): placed at the stop they name,
   * validated, pseudonymised and scrubbed by the pipeline's own checks, the refused ones with
   * their reason.
   */
  previewItems(items: unknown[], sender: Sender): PreparedBatch {
    const placed = this.placeEvents(items);
    return this.d.pipeline.prepare(placed.items, sender, placed.marks);
  }

  async receive(m: FeedMessage): Promise<FeedAnswer> {
    return this.receiveChecked(m, this.precheck(m));
  }

  /**
   * `check` now (the adapter's decoding, CPU only), for `receiveChecked` later. With
   * `prepare`, the pipeline's checks of the items too (validation, pseudonymisation, hashes;
   * received now): all the CPU work of a message, so that only its write is left.
   */
  precheck(m: FeedMessage, opts: { prepare?: boolean } = {}): Prechecked {
    const now = this.d.now();
    const checked = this.check(m, now);
    if (!opts.prepare || !('decoded' in checked)) return { now, checked };
    const { items } = checked.decoded;
    const prepared: PreparedBatch[] = [];
    for (let i = 0; i < items.length; i += MAX_BATCH_ITEMS) {
      const chunk = items.slice(i, i + MAX_BATCH_ITEMS);
      prepared.push(this.d.pipeline.prepare(chunk.map((x) => x.item), m.sender, marksIn(chunk), now));
    }
    return { now, checked, prepared };
  }

  /**
   * `receive` for a message whose `precheck` already ran: a subscriber can decode the next
   * message while the previous one is being written.
   */
  async receiveChecked(m: FeedMessage, { now, checked, prepared: preparedAhead }: Prechecked): Promise<FeedAnswer> {
    let prepared = preparedAhead;
    if ('refusal' in checked) {
      if (!checked.malformed) return m.unattended ? this.keepRefused(m, checked.refusal) : checked.refusal;
      const counters = this.countersOf(m.source ?? '');
      counters.malformed++;
      const refusal = fail('VIGIE_FEED_MALFORMED', checked.malformed.message, { field: checked.malformed.field });
      // A broker's or poller's (nobody reads the answer): logged, and kept at most once per payload and so many an hour.
      if (m.unattended) return this.keepRefused(m, refusal);
      const id = await this.deadLetter(m, 'VIGIE_FEED_MALFORMED', checked.malformed.message, []);
      return { ...fail('VIGIE_FEED_MALFORMED', checked.malformed.message, { field: checked.malformed.field, deadLetter: id }), deadLetter: id };
    }
    const { decoded } = checked;
    const counters = this.countersOf(m.source ?? '');
    if (m.rateLimited) {
      const wait = this.d.limiter.take(m.sender.name, Math.max(1, decoded.items.length), now.getTime());
      if (wait) return { ...fail('VIGIE_RATE_LIMITED', `this feed sends faster than its limit; retry in ${wait} s`), retryAfter: wait };
    }
    counters.messages++;
    counters.lastMessageAt = now.toISOString();

    // Entries repeating their entity's last state are duplicates (the batches prepared ahead held them: prepared again).
    let claim: Claim | undefined;
    if (EntityStates.any(decoded.items)) {
      await this.distrustOthers(decoded.items);
      claim = this.states.claim(decoded.items);
    }
    const items = claim?.items ?? decoded.items, repeats = claim?.repeats ?? 0;
    if (repeats) prepared = undefined;
    // A message of repeats only stores nothing, but says its feed speaks (feed health).
    if (repeats && !items.length && !m.imported && !m.replay) addFeedMessages(this.d.db, [...new Set(decoded.items.map((x) => (x.item as { source: string }).source))].map((source) => ({ source, receivedAt: now.toISOString() })));
    const result: IngestResult = { accepted: 0, duplicates: repeats, rejected: [...decoded.rejected] };
    for (let i = 0; i < items.length; i += MAX_BATCH_ITEMS) {
      const chunk = items.slice(i, i + MAX_BATCH_ITEMS);
      const batch = prepared?.[i / MAX_BATCH_ITEMS];
      const how = m.imported ? { imported: true } : m.replay ? { replayed: true } : {};
      let r: IngestResult;
      try {
        // Every batch of one message received at the same time: one message to feed health, whatever its size.
        r = await this.d.pipeline.write(batch ?? this.d.pipeline.prepare(chunk.map((x) => x.item), m.sender, marksIn(chunk), now), how);
      } catch (e) {
        claim?.release(items.slice(i)); // not stored: their entities' states back as they were, for the message sent again
        throw e;
      }
      result.accepted += r.accepted;
      result.duplicates += r.duplicates;
      for (const x of r.rejected) result.rejected.push({ index: chunk[x.index]!.index, error: x.error });
      claim?.release(r.rejected.map((x) => chunk[x.index]!));
    }
    result.rejected.sort((a, b) => a.index - b.index);
    const ended = decoded.endZones?.length ? await endTemporaryZones(this.d.db, decoded.endZones) : 0;
    const zones = [...(decoded.zones ?? [])]; // a copy: a message tried again (MQTT) comes with the same decoded one
    if (decoded.codedAreas?.length) {
      // Areas given by codes only: the city's outline where a code names an area holding it.
      const found = await cityZonesOf(this.d.db, decoded.codedAreas, this.d.cityGeocodes ?? new Set());
      zones.push(...found.zones);
      if (found.elsewhere.length) this.d.log.info('CAP: warning areas named by codes not known as the city\'s: no zone', { source: m.source, codes: found.elsewhere.flatMap((a) => a.codes).slice(0, 20) });
      if (found.unshaped.length) this.d.log.warn('CAP: warning areas over the whole city, but no zone of the city to draw its outline from: no zone', { source: m.source, areas: found.unshaped.map((a) => a.name) });
    }
    if (zones.length) await upsertTemporaryZones(this.d.db, zones);
    if (ended || zones.length) await this.d.onZones();
    let deadLetter: number | undefined;
    if (result.rejected.length) deadLetter = await this.deadLetter(m, 'VIGIE_EVENT_INVALID', `${result.rejected.length} item(s) refused: ${result.rejected[0]!.error.message}`, result.rejected);
    const refusal = batchRefusal(result); // the same answer as POST /api/v1/events
    if (refusal) return { ...fail(refusal.code, refusal.message, { ...result, deadLetter }), deadLetter };
    return { status: 202, body: result, deadLetter };
  }

  /**
   * The items `POST /api/v1/events` refused, kept as one dead letter of format `events` (the
   * items as they came, in order; its `rejected` indexes are theirs in it) to be replayed after
   * a fix, as every other format's are. Not the items the token may not send: an authorisation
   * refusal, told to the sender, is no data to fix. Its source: the items' own when they share one.
   */
  async keepRefusedItems(items: readonly unknown[], rejected: IngestResult['rejected'], sender: Sender): Promise<number | undefined> {
    const kept = rejected.filter((r) => r.error.code !== 'VIGIE_TOKEN_FORBIDDEN');
    if (!kept.length) return undefined;
    const refused = kept.map((r) => items[r.index]);
    const sources = new Set(refused.map((x) => (x !== null && typeof x === 'object' ? (x as { source?: unknown }).source : undefined)));
    const [only] = sources;
    const source = sources.size === 1 && typeof only === 'string' && SOURCE_RE.test(only) ? only : undefined;
    const code = kept.every((r) => r.error.code === 'VIGIE_EVENT_CONFLICT') ? 'VIGIE_EVENT_CONFLICT' : 'VIGIE_EVENT_INVALID';
    return this.deadLetter({ format: 'events', source, body: Buffer.from(`[${refused.map(itemText).join(',')}]`), sender }, code,
      `${kept.length} item(s) refused: ${kept[0]!.error.message}`, kept.map((r, index) => ({ index, error: r.error })));
  }

  /** Runs a dead letter's payload through its adapter again (after a fix, or with corrected options such as a CSV mapping); answers like `receive`. */
  async replay(id: number, options?: Record<string, string>): Promise<FeedAnswer> {
    const dl = await getDeadLetter(this.d.db, id);
    if (!dl) return fail('VIGIE_NOT_FOUND', `no dead letter ${id}`);
    let body: Buffer;
    try {
      body = this.d.sealer.unseal(dl.payload);
    } catch (e) {
      return fail('VIGIE_UNAVAILABLE', String((e as Error).message));
    }
    // New options (a corrected column mapping) replace the old, but the payload is read in the charset it was sent in.
    const charset = dl.options?.charset;
    const replayOptions = options ? { ...(charset !== undefined ? { charset } : {}), ...options } : dl.options;
    const answer = await this.receive({ format: dl.format, source: dl.source ?? undefined, body, sender: { name: `replay:${dl.sender}`, sources: dl.source ? [dl.source] : null }, options: replayOptions, replay: true, imported: dl.options?.[IMPORT_OPTION] === 'true' });
    await markReplayed(this.d.db, id, this.d.now(), { status: answer.status, body: answer.body });
    return answer;
  }

  private countersOf(source: string): FeedCounters {
    const c = this.counters.get(source) ?? { messages: 0, malformed: 0, lastMessageAt: null };
    this.counters.set(source, c);
    return c;
  }

  /**
   * A message that could not be written however often it was tried (the database down for
   * longer than a subscriber waits, or a failure no input check foresaw): kept as a dead
   * letter with the error, for an admin to replay (unless even that fails: then it is logged).
   */
  async unwritten(m: FeedMessage, error: unknown): Promise<FeedAnswer> {
    const message = `not written: ${error instanceof Error ? error.message : String(error)}`;
    const id = await this.deadLetter(m, 'VIGIE_UNAVAILABLE', message, []);
    return { ...fail('VIGIE_UNAVAILABLE', message, id === undefined ? undefined : { deadLetter: id }), ...(id === undefined ? {} : { deadLetter: id }) };
  }

  /**
   * Per sender and hour, the whole-message refusals kept as dead letters (their digests): a
   * wrong mapping on a feed that sends megabytes every second would otherwise fill the
   * database. The same payload again, or more than REFUSED_KEPT_PER_HOUR different ones, is
   * logged and counted (`refusedNotKept`), not stored again.
   */
  private refusedKept = new Map<string, { hour: number; digests: Set<string> }>();
  refusedNotKept = 0;

  /** A broker's or poller's message refused as a whole (too large, a mapping to a format or source that is wrong): kept and logged, since nobody reads the answer. */
  private async keepRefused(m: FeedMessage, refusal: FeedAnswer): Promise<FeedAnswer> {
    const { code, message } = (refusal.body as { error: { code: ErrorCode; message: string } }).error;
    const hour = Math.floor(this.d.now().getTime() / 3_600_000);
    let kept = this.refusedKept.get(m.sender.name);
    if (!kept || kept.hour !== hour) this.refusedKept.set(m.sender.name, (kept = { hour, digests: new Set() }));
    const digest = createHash('sha256').update(m.body).digest('hex');
    if (kept.digests.has(digest) || kept.digests.size >= REFUSED_KEPT_PER_HOUR) {
      this.refusedNotKept++;
      this.d.log.warn('feed message refused, not kept again (same payload, or enough kept this hour)', { format: m.format, source: m.source, sender: m.sender.name, code, message: withoutExcerpts(message) });
      return refusal;
    }
    kept.digests.add(digest);
    const id = await this.deadLetter(m, code, message, []);
    this.d.log.error('feed message refused, kept as a dead letter', { format: m.format, source: m.source, sender: m.sender.name, code, message: withoutExcerpts(message), deadLetter: id });
    return id === undefined ? refusal : { ...refusal, deadLetter: id };
  }

  private async deadLetter(m: FeedMessage, code: ErrorCode, reason: string, rejected: IngestResult['rejected']): Promise<number | undefined> {
    if (m.replay) return undefined; // a replay is recorded on its dead letter
    try {
      return await addDeadLetter(this.d.db, {
        at: this.d.now().toISOString(), format: m.format, source: m.source ?? null, sender: m.sender.name,
        code, reason: withoutExcerpts(reason), options: m.imported ? { ...m.options, [IMPORT_OPTION]: 'true' } : m.options, payload: this.d.sealer.seal(m.body),
        rejected: rejected.map((r) => ({ ...r, error: { ...r.error, message: withoutExcerpts(r.error.message) } })),
      });
    } catch (e) {
      this.d.log.error('dead letter not stored', { error: String(e), format: m.format, source: m.source });
      return undefined;
    }
  }
}

/**
 * An error's words without the payload's: a parser quotes the text it stopped at (`Unexpected
 * token 'J', "Jean Dupon"... is not valid JSON`), and the payload may be personal. The dead
 * letter's payload is sealed; its reason is not, so the quotes go.
 */
export const withoutExcerpts = (message: string): string =>
  message.replace(/, .*? is not valid JSON/s, ', … is not valid JSON').replace(/"[^"]{2,}"|'[^']{2,}'/g, '"…"').replace(/\bgot -?[\d.e+]{2,}/g, 'got …');

/**
 * A refused item as JSON text for its dead letter; one nested too deep to write again (JSON
 * reads deeper than it writes) is kept as a note saying so: nothing a fix could replay.
 */
function itemText(item: unknown): string {
  try {
    return JSON.stringify(item) ?? 'null';
  } catch {
    return JSON.stringify({ unkept: 'nested too deep to keep' });
  }
}
