import { describe, expect, it } from 'vitest';
import { ZoneIndex, type Zone } from '@vigie/rules';
import { categoryOf, countIndicators, MIN_COUNT, publicPeriod, type CountedEvent } from './indicators.ts';

const square = (id: string, lon0: number): Zone => ({
  id, name: `Zone ${id}`, kind: 'quartier', tags: [],
  geometry: { type: 'Polygon', coordinates: [[[lon0, 43.2], [lon0 + 0.1, 43.2], [lon0 + 0.1, 43.3], [lon0, 43.3], [lon0, 43.2]]] },
});
const zones = [square('a', 5.3), square('b', 5.4)];
const H = 3_600_000;

describe('categoryOf', () => {
  it('counts what the city may say in public, and nothing else', () => {
    expect(categoryOf('incident.theft')).toBe('incident');
    expect(categoryOf('accident.bike')).toBe('accident');
    expect(categoryOf('transport.delay')).toBe('transport');
    expect(categoryOf('lighting.fault')).toBe('lighting');
    expect(categoryOf('lighting.repaired')).toBeUndefined();
    expect(categoryOf('transport.vehicle.position')).toBeUndefined();
    expect(categoryOf('health.admission')).toBeUndefined();
    expect(categoryOf('event.warning.met')).toBeUndefined();
    expect(categoryOf('feed.message')).toBeUndefined();
  });
});

describe('publicPeriod', () => {
  it('gives the seven whole days before today on the city clock, a daylight-saving night included', () => {
    // 27 October 2026, 11:00 in Paris; clocks went back on the night of the 25th.
    const p = publicPeriod(Date.parse('2026-10-27T10:00:00Z'), 'Europe/Paris');
    expect(p.dates).toEqual(['2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26']);
    expect(new Date(p.starts[0]!).toISOString()).toBe('2026-10-19T22:00:00.000Z');
    expect(new Date(p.starts[7]!).toISOString()).toBe('2026-10-26T23:00:00.000Z');
    expect((p.starts[6]! - p.starts[5]!) / H).toBe(25);
    expect((p.starts[5]! - p.starts[4]!) / H).toBe(24);
  });

  it('changes at midnight on the city clock, not on UTC', () => {
    const before = publicPeriod(Date.parse('2026-11-29T22:59:00Z'), 'Europe/Paris');
    const after = publicPeriod(Date.parse('2026-11-29T23:00:00Z'), 'Europe/Paris');
    expect(before.dates.at(-1)).toBe('2026-11-28');
    expect(after.dates.at(-1)).toBe('2026-11-29');
  });
});

describe('countIndicators', () => {
  const period = publicPeriod(Date.parse('2026-11-30T10:00:00Z'), 'Europe/Paris'); // 23 to 29 November
  const start = period.starts[0]!, end = period.starts[7]!;
  const at = (type: string, time: number, lon: number | null = 5.35): CountedEvent => ({ type, time, lat: lon === null ? null : 43.25, lon });

  it('counts per day and per zone, and withholds every count from 1 to 4', () => {
    const events = [
      ...Array.from({ length: MIN_COUNT }, (_, i) => at('incident.theft', start + i * H)), // zone a, first day
      ...Array.from({ length: 3 }, (_, i) => at('incident.assault', end - (i + 1) * H, 5.45)), // zone b, last day
      at('accident.bike', start + 2 * H, null), // no place: the city's counts only
      at('health.admission', start + H), // never published
      at('incident.theft', start - 1), at('incident.theft', end), // outside the period
    ];
    const r = countIndicators(events, period, zones, new ZoneIndex(zones));
    expect([r.from, r.to]).toEqual(['2026-11-23', '2026-11-29']);
    expect(r.days[0]!.counts).toEqual({ incident: 5, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.days[6]!.counts.incident).toBeNull();
    expect(r.days.slice(1, 6).every((d) => d.counts.incident === 0)).toBe(true);
    expect(r.totals).toEqual({ incident: 8, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.zones).toEqual([
      { id: 'a', name: 'Zone a', kind: 'quartier', counts: { incident: 5, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
      { id: 'b', name: 'Zone b', kind: 'quartier', counts: { incident: null, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/theft|assault|43\.25/);
  });
});
