import { z } from 'zod';

const OFFSET_TOO_FAR = /[+-](1[6-9]|2\d):\d\d$/;

/** Whether a time zod's ISO check accepts is one PostgreSQL stores too: a year from 0001 (there is no year 0), an offset within ±15:59. */
export const storableIsoTime = (s: string): boolean => !s.startsWith('0000') && !OFFSET_TOO_FAR.test(s);

/**
 * ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), within what PostgreSQL stores
 * (zod's own check lets year 0000 and offsets up to ±23:59 through, and the database would
 * refuse the whole statement).
 */
export const IsoTime = z.iso.datetime({ offset: true })
  .refine((s) => !s.startsWith('0000'), 'the year must be 0001 or later')
  .refine((s) => !OFFSET_TOO_FAR.test(s), 'the offset must be within ±15:59');

/** A position: latitude and longitude, nothing else (an `alt` or a typo would be lost unsaid: refused). */
export const Location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type Location = z.infer<typeof Location>;

/** Flat attributes: string, number or boolean values only. */
export const Attributes = z.record(
  z.string().min(1).max(64),
  z.union([z.string().max(1000), z.number().finite(), z.boolean()]),
);
export type Attributes = z.infer<typeof Attributes>;

const SOURCE_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_*-]+)*$/;

/** The canonical event: what every adapter produces and what `POST /api/v1/events` takes. */
export const Event = z.strictObject({
  id: z.string().min(1).max(200),
  source: z.string().regex(SOURCE_RE, 'lower-case letters, digits, "_", "." or "-", at most 64'),
  type: z.string().max(100).regex(TYPE_RE, 'a dotted taxonomy such as "incident.assault"'),
  time: IsoTime,
  location: Location.optional(),
  severity: z.number().int().min(1).max(5).optional(),
  attributes: Attributes.optional(),
  text: z.string().max(10_000).optional(),
});
export type Event = z.infer<typeof Event>;

/** An event as stored: the server adds when it was received. */
export type StoredEvent = Event & { receivedAt: string };

/** Top-level families of the type taxonomy. */
export const EVENT_FAMILIES = [
  'incident', 'accident', 'transport', 'lighting', 'health', 'crowd', 'citizen', 'event', 'feed',
] as const;
