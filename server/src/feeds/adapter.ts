import { createHash } from 'node:crypto';
import type { ItemReason } from '@vigie/rules';
import type { ItemError } from '../ingest/pipeline.ts';
import { localToIso, realDateAtStart } from './csv/local-time.ts';

/**
 * A candidate event an adapter read from a payload, with its position in that payload. For an
 * entry without a time of its own (the adapter gave it the message's or the arrival's, which
 * change with each delivery), either:
 * - `timeAssumed`: its id does not hold that time (it holds a version, or derives from its
 *   content): sent again with another time, it is the same event, a duplicate;
 * - `entity`: its id holds that time, and this names what it describes (a vehicle, a street
 *   light): it is a duplicate when it repeats the last state stored for that entity, a new
 *   event when that state changed, even back to an earlier one (see `EntityStates`).
 * `revisable`: its source may send a changed state under the same id (an NGSI-LD entity updated
 * at the same observed time): a revision, not a conflict (see `ItemMarks`). `placed`: Vigie gave it
 * its location (the stop it names, see `StopPlaces`), not the feed (see `ItemMarks`).
 */
export type DecodedItem = { index: number; item: unknown; timeAssumed?: true; entity?: string; revisable?: true; placed?: true };
/** An area a message declares for a span of time (CAP warnings): a temporary zone. */
export type TemporaryZone = {
  id: string;
  name: string;
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
  expiresAt: string;
};
/**
 * A warning area given by codes only (CAP `<geocode>`: a département, a commune), no polygon:
 * `codes` as `valueName=value`. The feed service makes it a temporary zone where a code names
 * an area holding the whole city (see `VIGIE_CAP_CITY_GEOCODES`).
 */
export type CodedArea = { id: string; name: string; codes: string[]; expiresAt: string };
export type Decoded = {
  items: DecodedItem[];
  /** Entries of the payload that could not become an event, with their position and why. */
  rejected: { index: number; error: ItemError }[];
  zones?: TemporaryZone[];
  /** Warning areas named by codes only (see `CodedArea`). */
  codedAreas?: CodedArea[];
  /** Prefixes of temporary zones that end now (a CAP Update or Cancel ends the zones of the messages it references). */
  endZones?: string[];
};
export type AdapterContext = {
  source: string;
  now: Date;
  /** The city's time zone, for formats with local times (CSV exports). */
  timeZone?: string;
  /** Format-specific options (a CSV column mapping). */
  options?: Record<string, string>;
};

/**
 * One standard format in: a payload (bytes) becomes candidate canonical events. The pipeline
 * validates them; the adapter throws a FeedFormatError only when the payload as a whole
 * cannot be read (malformed, truncated, not this format).
 */
export type Adapter = {
  format: string;
  /** Media types accepted (the first is the one to send); empty: any. */
  contentTypes: string[];
  /** Its items name their own source: a message's `source` is then optional (their default). */
  sourceInItems?: boolean;
  decode(body: Buffer, ctx: AdapterContext): Decoded;
};

export class FeedFormatError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** A JSON payload's value; a FeedFormatError when it is not JSON (the JSON formats: SIRI Lite, NGSI-LD, canonical events). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new FeedFormatError(`the body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Per-entry rejection helper. */
export const invalid = (index: number, field: string, message: string, reason?: ItemReason) => ({
  index,
  error: { code: 'VIGIE_VALIDATION' as const, field, message: `${field}: ${message}`, ...(reason ? { reason } : {}) },
});

/** Keeps only flat attribute values (string, number, boolean), dropping empty ones. */
export function flatAttributes(o: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' ? v !== '' : typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      out[k] = typeof v === 'string' ? v.slice(0, 1000) : (v as number | boolean);
    }
  }
  return out;
}

const ISO_DATE = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)?$/i;
/** A date, or a date and time, without an offset: a wall-clock time, read in a time zone. */
const LOCAL = /^(\d{4}-\d\d-\d\d)(?:[Tt ](\d\d:\d\d(?::\d\d)?)(?:[.,](\d+))?)?$/;

/**
 * An ISO time with offset from seconds since the epoch (GTFS) or a date string; undefined if
 * unreadable. A date-time without an offset is a wall-clock time in `timeZone` (the city's, as
 * the feeds' adapters get it; UTC without one), never the server's own zone.
 */
export function isoFrom(v: unknown, timeZone = 'UTC'): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    const d = new Date(v * 1000);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  // A calendar date first (2026-11-28, then a time, an offset): not whatever Date reads ("1" is 2001).
  if (typeof v === 'string' && ISO_DATE.test(v.trim()) && realDateAtStart(v.trim())) {
    const local = LOCAL.exec(v.trim());
    if (local) {
      const at = localToIso(local[1]!, local[2], timeZone);
      return at && local[3] ? new Date(Date.parse(at) + Number(`0.${local[3]}`) * 1000).toISOString() : at;
    }
    // The offset as Date reads it: "+02" and "+0200" as "+02:00", no space before it, a decimal comma as a point.
    const d = new Date(v.trim().replace(/\s+(?=[zZ+-][^T]*$)/, '').replace(/([+-]\d\d)$/, '$1:00').replace(/([+-]\d\d)(\d\d)$/, '$1:$2').replace(',', '.'));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

export const asArray = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/**
 * A table's entry for a key read from a payload, or undefined: only the table's own entries
 * count, so a key such as `constructor`, `__proto__` or `toString` finds nothing rather than
 * a member of Object.prototype.
 */
export const lookup = <V>(table: Readonly<Record<string, V>>, key: unknown): V | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

/**
 * A value as part of an event id: at most 120 characters; a longer one keeps its first 100 and
 * a digest of the whole, so that two long identifiers sharing a beginning stay two.
 */
export function idPart(v: unknown): string {
  const s = String(v ?? '').trim();
  return s.length <= 120 ? s : `${s.slice(0, 100)}~${contentDigest(s)}`;
}

/** A short digest of a text (16 hex digits of SHA-256): an id part that changes with the content. */
export const contentDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * NUL characters cannot be stored (PostgreSQL text and jsonb refuse them) and carry nothing
 * in a feed's text: adapters' items lose them. Other values pass as they are.
 */
export function stripNul<T>(v: T): T {
  if (typeof v === 'string') return (v.includes('\u0000') ? v.replaceAll('\u0000', '') : v) as T;
  if (Array.isArray(v)) return v.map(stripNul) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [stripNul(k), stripNul(x)])) as T;
  return v;
}
