import type { EventContext } from '../engine/context.ts';
import { hourOfWeek } from '../engine/local-time.ts';
import type { CompiledRule } from '../language/compile-rule.ts';

export const HOURS_PER_WEEK = 168;

/**
 * What a group usually sees: events per hour for each hour of the week (0 = Monday 00h, local
 * time), learned from history. `city` is the city-wide per-group rate, used for a group that
 * history never saw.
 */
export type Baseline = { weeks: number; groups: Record<string, number[]>; city: number[] };

export type LearnOptions = {
  /** Weight of a week relative to the one after it (older weeks count less). */
  decay?: number;
  /** How many weeks' worth of the city-wide rate a group's own history is blended with. */
  priorWeeks?: number;
};

/**
 * Counts a rule's accepted events per group, hour of week and week, over a history that the
 * caller streams in (any order). Week 0 is the one ending at `until`.
 */
export class BaselineCounter {
  private counts = new Map<string, Float64Array>(); // group → [week * 168 + how]
  constructor(private readonly rule: CompiledRule, private readonly until: number, readonly weeks: number) {}

  add(e: EventContext): void {
    if (e.t >= this.until || !this.rule.accepts(e)) return;
    const week = Math.floor((this.until - e.t) / (7 * 86_400_000));
    if (week >= this.weeks) return;
    const how = hourOfWeek(e.local);
    for (const key of this.rule.keysOf(e)) {
      let c = this.counts.get(key);
      if (!c) this.counts.set(key, (c = new Float64Array(this.weeks * HOURS_PER_WEEK)));
      c[week * HOURS_PER_WEEK + how]! += 1;
    }
  }

  learn(opts: LearnOptions = {}): Baseline {
    return learnBaseline(this.counts, this.weeks, opts);
  }
}

/**
 * Hour-of-week Poisson rates per group: a decayed mean over the weeks, shrunk toward the
 * city-wide hour-of-week profile (at the group's own level) as much as `priorWeeks` weeks.
 */
export function learnBaseline(counts: Map<string, Float64Array>, weeks: number, { decay = 0.85, priorWeeks = 1 }: LearnOptions = {}): Baseline {
  const weights = Array.from({ length: weeks }, (_, k) => decay ** k);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const own = new Map<string, number[]>();
  for (const [group, c] of counts) {
    const rates = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (let w = 0; w < weeks; w++) for (let h = 0; h < HOURS_PER_WEEK; h++) rates[h]! += weights[w]! * c[w * HOURS_PER_WEEK + h]!;
    own.set(group, rates.map((r) => r / totalWeight));
  }
  const n = Math.max(1, own.size);
  const city = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const rates of own.values()) for (let h = 0; h < HOURS_PER_WEEK; h++) city[h]! += rates[h]! / n;
  // The prior of a group is the city's hour-of-week shape at the group's own level: a sparse
  // hour borrows from the city's profile, not from busier groups' volumes.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cityMean = mean(city);
  const shape = city.map((c) => (cityMean > 0 ? c / cityMean : 1));
  const groups: Record<string, number[]> = {};
  for (const [group, rates] of own) {
    const level = mean(rates);
    groups[group] = rates.map((r, h) => (totalWeight * r + priorWeeks * level * shape[h]!) / (totalWeight + priorWeeks));
  }
  return { weeks, groups, city };
}

/** Expected events for `group` over `spanMs` starting at hour-of-week `how` (rates are per hour). */
export function expectedCount(b: Baseline, group: string, how: number, spanMs: number): number {
  const rates = b.groups[group] ?? b.city;
  let remaining = spanMs / 3_600_000;
  let h = how;
  let sum = 0;
  while (remaining > 0) {
    const part = Math.min(1, remaining);
    sum += rates[((h % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK]! * part;
    remaining -= part;
    h--; // a window looks back from `how`
  }
  return sum;
}
