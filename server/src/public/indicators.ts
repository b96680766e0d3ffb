import { localClock, PUBLIC_CATEGORIES, type PublicCategory, type PublicCounts, type PublicIndicators, type Zone, type ZoneIndex } from '@vigie/rules';
import { zonedToUtc } from '../calendar/zoned-time.ts';

/** A count from 1 to MIN_COUNT − 1 is not published (null): a lone event in a small sector could point at someone. */
export const MIN_COUNT = 5;
/** Complete days published, ending yesterday on the city's clock: nothing of the day under way. */
export const PUBLIC_DAYS = 7;

/** The category an event type counts in, if any: a street light's fault, not its repair; a transport disruption, not a vehicle's position. */
export function categoryOf(type: string): PublicCategory | undefined {
  const dot = type.indexOf('.');
  const family = dot < 0 ? type : type.slice(0, dot);
  switch (family) {
    case 'incident': case 'accident': case 'citizen': case 'crowd': return family;
    case 'lighting': return type.startsWith('lighting.fault') ? 'lighting' : undefined;
    case 'transport': return type.startsWith('transport.vehicle.') ? undefined : 'transport';
    default: return undefined;
  }
}

/** The local dates of the PUBLIC_DAYS days before `now`'s, and the instants each begins at, one more for the end. */
export function publicPeriod(now: number, timeZone: string): { dates: string[]; starts: number[] } {
  const today = localClock(now, timeZone);
  const dates: string[] = [], starts: number[] = [];
  for (let k = PUBLIC_DAYS; k >= 0; k--) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - k));
    const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 };
    starts.push(zonedToUtc(wall, timeZone));
    if (k > 0) dates.push(d.toISOString().slice(0, 10));
  }
  return { dates, starts };
}

const zero = (): Record<PublicCategory, number> => ({ incident: 0, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
const published = (c: Record<PublicCategory, number>): PublicCounts => {
  const out = {} as PublicCounts;
  for (const k of PUBLIC_CATEGORIES) out[k] = c[k] > 0 && c[k] < MIN_COUNT ? null : c[k];
  return out;
};

export type CountedEvent = { type: string; time: number; lat: number | null; lon: number | null };

/**
 * The published figures of `events` over the period (`publicPeriod`): per day and in all for
 * the city, per zone in all; every count from 1 to MIN_COUNT − 1 withheld (null). No event
 * appears by itself: no time finer than its day, no place finer than its zone, nothing else of it.
 */
export function countIndicators(events: Iterable<CountedEvent>, period: { dates: string[]; starts: number[] }, zones: readonly Zone[], index: ZoneIndex): Omit<PublicIndicators, 'city' | 'timeZone' | 'generatedAt'> {
  const { dates, starts } = period;
  const perDay = dates.map(zero), total = zero();
  const perZone = new Map<string, Record<PublicCategory, number>>(zones.map((z) => [z.id, zero()]));
  for (const e of events) {
    const category = categoryOf(e.type);
    if (!category || e.time < starts[0]! || e.time >= starts[starts.length - 1]!) continue;
    let day = 0;
    while (e.time >= starts[day + 1]!) day++;
    perDay[day]![category]++;
    total[category]++;
    if (e.lat === null || e.lon === null) continue;
    for (const id of index.zonesAt(e.lat, e.lon)) {
      const counts = perZone.get(id);
      if (counts) counts[category]++;
    }
  }
  return {
    from: dates[0]!,
    to: dates[dates.length - 1]!,
    minCount: MIN_COUNT,
    categories: PUBLIC_CATEGORIES,
    days: dates.map((date, i) => ({ date, counts: published(perDay[i]!) })),
    totals: published(total),
    zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, counts: published(perZone.get(z.id)!) })),
  };
}
