import { describe, expect, it } from 'vitest';
import { ZoneIndex, type Zone } from '@vigie/rules';
import { categoryOf, countIndicators, publicWeek, publishedCount, type CountedEvents } from './indicators.ts';

const square = (id: string, lon0: number): Zone => ({
  id, name: `Zone ${id}`, kind: 'quartier', tags: [],
  geometry: { type: 'Polygon', coordinates: [[[lon0, 43.2], [lon0 + 0.1, 43.2], [lon0 + 0.1, 43.3], [lon0, 43.3], [lon0, 43.2]]] },
});
const zones = [square('a', 5.3), square('b', 5.4)];
const secret = Buffer.from('test-secret');

describe('categoryOf', () => {
  it('counts what tells of public safety, not the feeds\' routine, and never health', () => {
    expect(categoryOf('incident.theft')).toBe('incident');
    expect(categoryOf('accident.bike')).toBe('accident');
    expect(categoryOf('citizen.noise')).toBe('citizen');
    expect(categoryOf('lighting.fault')).toBe('lighting');
    expect(categoryOf('transport.incident.line-stopped')).toBe('transport');
    expect(categoryOf('transport.alert')).toBe('transport');
    expect(categoryOf('transport.cancellation')).toBe('transport');
    expect(categoryOf('crowd.congestion')).toBe('crowd');
    for (const routine of ['lighting.repaired', 'transport.vehicle.position', 'transport.delay', 'transport.message', 'transport.incidentally', 'crowd.flow', 'health.admission', 'event.warning.met', 'feed.message']) {
      expect(categoryOf(routine), routine).toBeUndefined();
    }
  });
});

describe('publicWeek', () => {
  const lastWeek = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
  it('is the last whole week, Monday to Sunday, from the Monday after it at 06:00 on the city clock', () => {
    const at = (iso: string) => publicWeek(Date.parse(iso), 'Europe/Paris');
    expect(at('2026-11-30T05:00:00Z')).toEqual({ dates: lastWeek, publishedAt: Date.parse('2026-11-30T05:00:00Z') }); // Monday 06:00 in Paris
    expect(at('2026-12-06T22:59:00Z').dates).toEqual(lastWeek); // Sunday 23:59
    expect(at('2026-11-30T04:59:00Z').dates[0]).toBe('2026-11-16'); // Monday 05:59: the week before still
  });

  it('crosses months, years and daylight-saving nights; publishes at 06:00 on the clock whatever the offset', () => {
    expect(publicWeek(Date.parse('2027-01-04T12:00:00Z'), 'Europe/Paris').dates).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(publicWeek(Date.parse('2026-10-27T12:00:00Z'), 'Europe/Paris').dates.at(-1)).toBe('2026-10-25');
    // Summer time: Monday 30 March 2026, 06:00 in Paris is 04:00 UTC.
    expect(publicWeek(Date.parse('2026-03-30T04:00:00Z'), 'Europe/Paris').dates[0]).toBe('2026-03-23');
    expect(publicWeek(Date.parse('2026-03-30T03:59:00Z'), 'Europe/Paris').dates[0]).toBe('2026-03-16');
  });
});

describe('publishedCount', () => {
  it('keeps multiples of 5, and rounds the others up or down to one, the same way every time for a cell', () => {
    for (const n of [0, 5, 10, 1135]) expect(publishedCount(n, secret, 'x')).toBe(n);
    for (const n of [1, 4, 7, 1134]) {
      const p = publishedCount(n, secret, 'cell');
      expect([n - (n % 5), n - (n % 5) + 5]).toContain(p);
      expect(publishedCount(n, secret, 'cell')).toBe(p);
    }
  });

  it('is fair on average and tells nothing of a small count: a 1 is 0 four times in five', () => {
    const cells = Array.from({ length: 5000 }, (_, i) => `cell-${i}`);
    const ones = cells.map((c) => publishedCount(1, secret, c));
    expect(ones.filter((p) => p === 5).length / cells.length).toBeCloseTo(0.2, 1);
    const sevens = cells.map((c) => publishedCount(7, secret, c));
    expect(sevens.reduce((a, b) => a + b, 0) / cells.length).toBeCloseTo(7, 0);
    // Another secret, other draws: nobody without it can tell the rounding of a cell.
    expect(cells.filter((c) => publishedCount(1, Buffer.from('other'), c) !== publishedCount(1, secret, c)).length).toBeGreaterThan(500);
  });
});

describe('countIndicators', () => {
  const week = { dates: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'] };
  const at = (type: string, day: string, n: number, lon: number | null = 5.35): CountedEvents => ({ type, day, n, lat: lon === null ? null : 43.25, lon });

  it('counts per day and per zone, each figure rounded on its own', () => {
    const rows = [
      at('incident.theft', '2026-11-23', 10), // zone a
      at('incident.assault', '2026-11-29', 5, 5.45), // zone b
      at('accident.bike', '2026-11-24', 15, null), // no place: the city's counts only
      at('health.admission', '2026-11-23', 40), // never published
      at('incident.theft', '2026-11-22', 50), at('incident.theft', '2026-11-30', 50), // outside the week
    ];
    const r = countIndicators(rows, week, zones, new ZoneIndex(zones), secret);
    expect([r.from, r.to, r.roundedTo]).toEqual(['2026-11-23', '2026-11-29', 5]);
    expect(r.days[0]!.counts).toEqual({ incident: 10, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.days[1]!.counts.accident).toBe(15);
    expect(r.days[6]!.counts.incident).toBe(5);
    expect(r.totals).toEqual({ incident: 15, accident: 15, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.zones).toEqual([
      { id: 'a', name: 'Zone a', kind: 'quartier', counts: { incident: 10, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
      { id: 'b', name: 'Zone b', kind: 'quartier', counts: { incident: 5, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/theft|assault|43\.25/);
  });

  it('gives every figure a multiple of 5, drawn for its own cell', () => {
    const rows = [1, 2, 3, 4, 1, 2, 3].map((n, i) => at('crowd.congestion', week.dates[i]!, n));
    const r = countIndicators(rows, week, zones, new ZoneIndex(zones), secret);
    const figures = [...r.days.map((d) => d.counts.crowd), r.totals.crowd, r.zones[0]!.counts.crowd];
    expect(figures.every((n) => n % 5 === 0)).toBe(true);
    expect([15, 20]).toContain(r.totals.crowd); // 16
  });
});
