import { describe, expect, it } from 'vitest';
import { ZoneIndex } from '../geo/zone-index.ts';
import { EventContext } from '../engine/context.ts';
import { ruleFromYaml, ev } from '../testing/fixtures.ts';
import { BaselineCounter, expectedCount, HOURS_PER_WEEK, learnBaseline } from './baseline.ts';
import { poissonTail } from './poisson.ts';

describe('poissonTail', () => {
  it('matches known values', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonTail(6, 1)).toBeCloseTo(0.000594, 6);
    expect(poissonTail(5, 1)).toBeCloseTo(0.00366, 5);
    expect(poissonTail(200, 100)).toBeLessThan(1e-18);
    expect(poissonTail(3, 0)).toBe(0);
    expect(poissonTail(50, 60)).toBeGreaterThan(0.9);
  });
});

describe('learnBaseline', () => {
  const week = (perHour: number) => Float64Array.from({ length: HOURS_PER_WEEK }, () => perHour);

  it('decays old weeks: recent weeks weigh more', () => {
    const c = new Float64Array(2 * HOURS_PER_WEEK);
    c.set(week(10), 0); // the latest week
    c.set(week(0), HOURS_PER_WEEK);
    const b = learnBaseline(new Map([['g', c]]), 2, { decay: 0.5, priorWeeks: 0 });
    expect(b.groups.g![0]).toBeCloseTo(10 / 1.5);
  });

  it('shrinks a sparse hour toward the city profile at the group level', () => {
    const busyHour = new Float64Array(HOURS_PER_WEEK);
    busyHour[20] = 1; // one event ever, at hour 20 of the week
    const city = new Float64Array(HOURS_PER_WEEK).fill(2);
    const b = learnBaseline(new Map([['sparse', busyHour], ['dense', city]]), 1, { priorWeeks: 1 });
    // the sparse group's empty hours are not zero: they borrow the (flat) profile at its level
    expect(b.groups.sparse![0]).toBeGreaterThan(0);
    expect(b.groups.sparse![0]).toBeLessThan(0.01);
    expect(b.groups.sparse![20]).toBeGreaterThan(0.4);
    // a group never seen falls back to the city-wide rate
    expect(expectedCount(b, 'unknown', 0, 3_600_000)).toBeCloseTo(b.city[0]!);
  });

  it('counts accepted events per group and hour of week in local time', () => {
    const rule = ruleFromYaml('id: a\ntitle: T\nseverity: low\nkind: anomaly\nwhere: { type: "x.*" }\ngroupBy: source\nwindow: 1h\n');
    const until = Date.parse('2026-11-30T00:00:00+01:00'); // Monday 00:00 Paris
    const counter = new BaselineCounter(rule, until, 2);
    const env = { zones: new ZoneIndex([]), timeZone: 'Europe/Paris' };
    // Sunday 2026-11-29 23:30 Paris = hour of week 167, week 0; the same a week before = week 1
    counter.add(new EventContext(ev('x.a', '2026-11-29T22:30:00Z'), env));
    counter.add(new EventContext(ev('x.a', '2026-11-22T22:30:00Z'), env));
    counter.add(new EventContext(ev('y.a', '2026-11-29T22:30:00Z'), env)); // not accepted
    counter.add(new EventContext(ev('x.a', '2026-11-30T00:30:00+01:00'), env)); // after until
    const b = counter.learn({ priorWeeks: 0, decay: 1 });
    expect(b.groups.test![167]).toBeCloseTo(1);
    expect(b.groups.test![166]).toBe(0);
  });
});
