import { createHmac } from 'node:crypto';
import { localClock, PUBLIC_CATEGORIES, type PublicCategory, type PublicCounts, type PublicIndicators, type Zone, type ZoneIndex } from '@vigie/rules';
import { zonedToUtc } from '../time/zoned-time.ts';

/** Every count is published as a multiple of this (see `publishedCount`). */
export const ROUND_TO = 5;
/**
 * A week is published on the Monday after it, at this hour of the city clock, with what had
 * come in by then (the night's events, a log uploaded in the morning): a later event never
 * changes it.
 */
export const PUBLISH_HOUR = 6;

/** FIWARE alerts of these categories come in as `incident.*` (see the NGSI-LD adapter) but are no public-safety incidents. */
export const NOT_INCIDENTS = ['health', 'weather', 'environment', 'agriculture', 'naturaldisaster', 'natural_disaster'] as const;

/**
 * The category an event type counts in, if any: what tells of public safety, not the feeds'
 * routine (a vehicle's position, a delay per vehicle and update, a passenger message, a crowd
 * measure without congestion, a street light repaired). Never health.
 */
export function categoryOf(type: string): PublicCategory | undefined {
  const dot = type.indexOf('.');
  const family = dot < 0 ? type : type.slice(0, dot);
  switch (family) {
    case 'incident': case 'accident': case 'citizen': return family;
    case 'crowd': return type.startsWith('crowd.flow') ? undefined : 'crowd';
    case 'lighting': return type.startsWith('lighting.fault') ? 'lighting' : undefined;
    case 'transport': return /^transport\.(incident|alert|cancellation)(\.|$)/.test(type) ? 'transport' : undefined;
    default: return undefined;
  }
}

/** The SQL patterns of the types `categoryOf` may count (it decides): positions and routine never read. */
export const COUNTED_PATTERNS = ['incident.%', 'accident.%', 'citizen.%', 'crowd.%', 'lighting.fault%', 'transport.incident%', 'transport.alert%', 'transport.cancellation%'];

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/**
 * The week published at `now` (city clock): the last whole week, Monday to Sunday, from the
 * Monday after it at PUBLISH_HOUR (`publishedAt`, the instant); fixed weeks, so that two
 * weeks' figures never overlap (the difference of two overlapping ones would give single days).
 */
export function publicWeek(now: number, timeZone: string): { dates: string[]; publishedAt: number } {
  const c = localClock(now, timeZone);
  // The Monday of the week under way; before PUBLISH_HOUR on a Monday, of the week before.
  const back = c.weekday - 1 + (c.weekday === 1 && c.hour < PUBLISH_HOUR ? 7 : 0);
  const monday = c.day - back;
  const dates = Array.from({ length: 7 }, (_, i) => iso(c.year, c.month, monday - 7 + i));
  const [y, m, d] = iso(c.year, c.month, monday).split('-').map(Number) as [number, number, number];
  return { dates, publishedAt: zonedToUtc({ year: y, month: m, day: d, hour: PUBLISH_HOUR, minute: 0, second: 0 }, timeZone) };
}

/**
 * A count as published: rounded to a multiple of ROUND_TO, up or down at random in proportion
 * (7 gives 5 three times in five, 10 twice: fair on average), the draw fixed by `secret` and
 * `cell` (the week, the category, the zone or the day) so that the same count always gives the
 * same figure and nobody without the secret can undo it. 0 stays 0; a published 0 is 0 to 4, a
 * 5 is 1 to 9: no small count is told, and no subtraction of one figure from another gives one.
 */
export function publishedCount(n: number, secret: Buffer, cell: string): number {
  const rest = n % ROUND_TO;
  if (rest === 0) return n;
  const u = createHmac('sha256', secret).update(cell).digest().readUInt32BE(0) / 2 ** 32;
  return n - rest + (u < rest / ROUND_TO ? ROUND_TO : 0);
}

const zero = (): Record<PublicCategory, number> => ({ incident: 0, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 });

/** Stored events of one type, day (local date) and place, counted (`n`). */
export type CountedEvents = { type: string; day: string; lat: number | null; lon: number | null; n: number };

/**
 * The published figures of the week's `events`: per day and in all for the city, per zone in
 * all, each rounded on its own (see `publishedCount`). No event appears by itself: no time
 * finer than its day, no place finer than its zone, nothing else of it.
 */
export function countIndicators(events: Iterable<CountedEvents>, week: { dates: string[] }, zones: readonly Zone[], index: ZoneIndex, secret: Buffer): Omit<PublicIndicators, 'city' | 'timeZone' | 'publishedAt'> {
  const { dates } = week;
  const dayOf = new Map(dates.map((d, i) => [d, i]));
  const perDay = dates.map(zero), total = zero();
  const perZone = new Map<string, Record<PublicCategory, number>>(zones.map((z) => [z.id, zero()]));
  for (const e of events) {
    const category = categoryOf(e.type), day = dayOf.get(e.day);
    if (!category || day === undefined) continue;
    perDay[day]![category] += e.n;
    total[category] += e.n;
    if (e.lat === null || e.lon === null) continue;
    for (const id of index.zonesAt(e.lat, e.lon)) {
      const counts = perZone.get(id);
      if (counts) counts[category] += e.n;
    }
  }
  const published = (c: Record<PublicCategory, number>, cell: string): PublicCounts => {
    const out = {} as PublicCounts;
    for (const k of PUBLIC_CATEGORIES) out[k] = publishedCount(c[k], secret, `${dates[0]}|${k}|${cell}`);
    return out;
  };
  return {
    from: dates[0]!,
    to: dates[dates.length - 1]!,
    roundedTo: ROUND_TO,
    categories: PUBLIC_CATEGORIES,
    days: dates.map((date, i) => ({ date, counts: published(perDay[i]!, `day:${date}`) })),
    totals: published(total, 'city'),
    zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, counts: published(perZone.get(z.id)!, `zone:${z.id}`) })),
  };
}
