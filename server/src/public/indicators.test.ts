import { describe, expect, it } from 'vitest';
import { ZoneIndex, type Zone } from '@vigie/rules';
import { categoryOf, countIndicators, publicWeek, publishedCount, type CountedEvents } from './indicators.ts';

const square = (id: string, lon0: number): Zone => ({
  id, name: `Zone ${id}`, kind: 'quartier', tags: [],
  geometry: { type: 'Polygon', coordinates: [[[lon0, 43.2], [lon0 + 0.1, 43.2], [lon0 + 0.1, 43.3], [lon0, 43.3], [lon0, 43.2]]] },
});
const zones = [square('a', 5.3), square('b', 5.4)];

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
  it('is the last whole week, Monday to Sunday, from the Monday after it at 06:00 on the city clock', () => {
    const dates = (iso: string) => publicWeek(Date.parse(iso), 'Europe/Paris').dates;
    const lastWeek = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
    expect(dates('2026-11-30T05:00:00Z')).toEqual(lastWeek); // Monday 06:00 in Paris
    expect(dates('2026-12-06T22:59:00Z')).toEqual(lastWeek); // Sunday 23:59
    expect(dates('2026-11-30T04:59:00Z')[0]).toBe('2026-11-16'); // Monday 05:59: the week before still
  });

  it('crosses months, years and daylight-saving nights', () => {
    expect(publicWeek(Date.parse('2027-01-04T12:00:00Z'), 'Europe/Paris').dates).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(publicWeek(Date.parse('2026-10-27T12:00:00Z'), 'Europe/Paris').dates.at(-1)).toBe('2026-10-25');
  });
});

describe('publishedCount', () => {
  it('withholds 1 to 4 and rounds the others to a multiple of 5', () => {
    expect([0, 1, 4, 5, 7, 8, 12, 13, 1134].map(publishedCount)).toEqual([0, null, null, 5, 5, 10, 10, 15, 1135]);
  });
});

describe('countIndicators', () => {
  const week = { dates: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'] };
  const at = (type: string, day: string, n: number, lon: number | null = 5.35): CountedEvents => ({ type, day, n, lat: lon === null ? null : 43.25, lon });

  it('counts per day and per zone, withholds the small counts and rounds the others, each on its own', () => {
    const rows = [
      at('incident.theft', '2026-11-23', 9), // zone a
      at('incident.assault', '2026-11-29', 3, 5.45), // zone b
      at('accident.bike', '2026-11-24', 2, null), // no place: the city's counts only
      at('health.admission', '2026-11-23', 40), // never published
      at('incident.theft', '2026-11-22', 50), at('incident.theft', '2026-11-30', 50), // outside the week
    ];
    const r = countIndicators(rows, week, zones, new ZoneIndex(zones));
    expect([r.from, r.to, r.minCount, r.roundedTo]).toEqual(['2026-11-23', '2026-11-29', 5, 5]);
    expect(r.days[0]!.counts).toEqual({ incident: 10, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.days[1]!.counts.accident).toBeNull();
    expect(r.days[6]!.counts.incident).toBeNull();
    expect(r.totals).toEqual({ incident: 10, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
    expect(r.zones).toEqual([
      { id: 'a', name: 'Zone a', kind: 'quartier', counts: { incident: 10, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
      { id: 'b', name: 'Zone b', kind: 'quartier', counts: { incident: null, accident: 0, citizen: 0, lighting: 0, transport: 0, crowd: 0 } },
    ]);
    // The week's total less the published days does not give the day withheld (3): rounding blurs it.
    const published = r.days.reduce((n, d) => n + (d.counts.incident ?? 0), 0);
    expect(r.totals.incident! - published).not.toBe(3);
    expect(JSON.stringify(r)).not.toMatch(/theft|assault|43\.25/);
  });
});
