import { localClock, PUBLIC_CATEGORIES, type PublicCategory, type PublicCounts, type PublicIndicators, type Zone, type ZoneIndex } from '@vigie/rules';

/** A count from 1 to MIN_COUNT − 1 is not published (null): a lone event in a small sector could point at someone. */
export const MIN_COUNT = 5;
/** Every other count is published rounded to a multiple of ROUND_TO, each on its own: no withheld count comes out of a subtraction. */
export const ROUND_TO = 5;
/**
 * A week is published on the Monday after it, at this hour of the city clock: late events
 * (the night's, a log uploaded in the morning) are in by then.
 */
export const PUBLISH_HOUR = 6;

/** FIWARE alerts of these categories come in as `incident.*` (see the NGSI-LD adapter) but are no public-safety incidents. */
export const NOT_INCIDENTS = ['health', 'weather', 'environment', 'agriculture', 'naturalDisaster'] as const;

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

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/**
 * The week published at `now` (city clock): the last whole week, Monday to Sunday, from the
 * Monday after it at PUBLISH_HOUR; fixed weeks, so that two weeks' figures never overlap (the
 * difference of two overlapping ones would give single days).
 */
export function publicWeek(now: number, timeZone: string): { dates: string[] } {
  const c = localClock(now - PUBLISH_HOUR * 3_600_000, timeZone);
  // Monday of the week under way (as shifted), then the week before it.
  const monday = c.day - (c.weekday - 1) - 7;
  return { dates: Array.from({ length: 7 }, (_, i) => iso(c.year, c.month, monday + i)) };
}

/** A count as published (see MIN_COUNT, ROUND_TO). */
export function publishedCount(n: number): number | null {
  if (n === 0) return 0;
  return n < MIN_COUNT ? null : Math.round(n / ROUND_TO) * ROUND_TO;
}

const zero = (): Record<PublicCategory, number> => ({ incident: 0, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
const published = (c: Record<PublicCategory, number>): PublicCounts => {
  const out = {} as PublicCounts;
  for (const k of PUBLIC_CATEGORIES) out[k] = publishedCount(c[k]);
  return out;
};

/** Stored events of one type, day (local date) and place, counted (`n`). */
export type CountedEvents = { type: string; day: string; lat: number | null; lon: number | null; n: number };

/**
 * The published figures of the week's `events`: per day and in all for the city, per zone in
 * all; each count withheld below MIN_COUNT, rounded otherwise. No event appears by itself: no
 * time finer than its day, no place finer than its zone, nothing else of it.
 */
export function countIndicators(events: Iterable<CountedEvents>, week: { dates: string[] }, zones: readonly Zone[], index: ZoneIndex): Omit<PublicIndicators, 'city' | 'timeZone' | 'generatedAt'> {
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
  return {
    from: dates[0]!,
    to: dates[dates.length - 1]!,
    minCount: MIN_COUNT,
    roundedTo: ROUND_TO,
    categories: PUBLIC_CATEGORIES,
    days: dates.map((date, i) => ({ date, counts: published(perDay[i]!) })),
    totals: published(total),
    zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, counts: published(perZone.get(z.id)!) })),
  };
}
