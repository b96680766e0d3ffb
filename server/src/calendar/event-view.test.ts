import { describe, expect, it } from 'vitest';
import { circlePerimeter, localClock, type CalendarEvent } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';
import { eventView, hourlyCounts, startOfCityHour } from './event-view.ts';

const at = (iso: string) => Date.parse(iso);
/** `HH:MM` of an ISO time on the clock of `timeZone`. */
const clock = (iso: string, timeZone: string) => {
  const c = localClock(Date.parse(iso), timeZone);
  return `${String(c.hour).padStart(2, '0')}:${String(c.minute).padStart(2, '0')}`;
};
const incident = (time: string, sector = 'perimeter') => ({ time, sector });

describe('the event view’s incidents per hour', () => {
  it('buckets on whole hours of the city’s clock, not at the minute the period starts (05:00, 06:00, not 05:12, 06:12)', () => {
    // Paris in winter (UTC+1): the period runs from 05:12:30 to 08:05.
    const incidents = [incident('2026-12-01T04:20:00.000Z'), incident('2026-12-01T04:59:59.999Z', 'north'), incident('2026-12-01T05:00:00.000Z'), incident('2026-12-01T07:04:00.000Z', 'north')];
    const hours = hourlyCounts(incidents, at('2026-12-01T04:12:30.000Z'), at('2026-12-01T07:05:00.000Z'), 'Europe/Paris');
    expect(hours.map((h) => clock(h.hour, 'Europe/Paris'))).toEqual(['05:00', '06:00', '07:00', '08:00']);
    expect(hours.map((h) => [h.inside, h.around])).toEqual([[1, 1], [1, 0], [0, 0], [0, 1]]);
    expect(hours.reduce((n, h) => n + h.inside + h.around, 0)).toBe(incidents.length);
  });

  it('follows the city’s zone, summer time and zones half an hour off UTC included', () => {
    // Paris in summer (UTC+2): 21:40 local is 19:40 UTC; its hour starts at 21:00 local.
    const summer = hourlyCounts([incident('2026-07-14T20:05:00.000Z')], at('2026-07-14T19:40:00.000Z'), at('2026-07-14T21:10:00.000Z'), 'Europe/Paris');
    expect(summer.map((h) => clock(h.hour, 'Europe/Paris'))).toEqual(['21:00', '22:00', '23:00']);
    expect(summer.map((h) => h.inside)).toEqual([0, 1, 0]);
    // Kolkata (UTC+5:30): 10:45 local is 05:15 UTC; its hour starts at 10:00 local, 04:30 UTC.
    expect(new Date(startOfCityHour(at('2026-12-01T05:15:42.000Z'), 'Asia/Kolkata')).toISOString()).toBe('2026-12-01T04:30:00.000Z');
    const kolkata = hourlyCounts([], at('2026-12-01T05:15:00.000Z'), at('2026-12-01T06:00:00.000Z'), 'Asia/Kolkata');
    expect(kolkata.map((h) => clock(h.hour, 'Asia/Kolkata'))).toEqual(['10:00', '11:00']);
  });

  it('leaves out an hour that would start exactly at the period’s end, and keeps one bucket for an empty period', () => {
    const exact = hourlyCounts([], at('2026-12-01T04:00:00.000Z'), at('2026-12-01T06:00:00.000Z'), 'Europe/Paris');
    expect(exact.map((h) => clock(h.hour, 'Europe/Paris'))).toEqual(['05:00', '06:00']);
    const empty = hourlyCounts([], at('2026-12-01T04:12:00.000Z'), at('2026-12-01T04:12:00.000Z'), 'Europe/Paris');
    expect(empty).toEqual([{ hour: '2026-12-01T04:00:00.000Z', inside: 0, around: 0 }]);
  });

  it('is what the view answers, on the hours of the zone it is given', async () => {
    const venue = { lat: 43.2699, lon: 5.3959 };
    const event: CalendarEvent = {
      id: 'e1', uid: null, title: 'OM – Nice', kind: 'match', venue: 'Stade Vélodrome', location: venue, perimeter: circlePerimeter(venue, 500),
      startsAt: '2026-12-01T19:00:00.000Z', endsAt: '2026-12-01T21:00:00.000Z', expectedAttendance: 40_000, arrivalMinutes: 48, departureMinutes: 60,
      createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z',
    } as CalendarEvent;
    // Two incidents inside the perimeter: 19:20 and 20:10 Paris time (the arrival starts at 19:12).
    const rows = [
      { type: 'incident.fight', time: '2026-12-01T18:20:00.000Z', lat: venue.lat, lon: venue.lon, severity: 2 },
      { type: 'incident.theft', time: '2026-12-01T19:10:00.000Z', lat: venue.lat, lon: venue.lon, severity: 1 },
    ];
    const db = { kind: 'pglite', query: async (sql: string) => (sql.includes("'attributes'") ? [] : rows) } as unknown as SqlClient;
    const view = await eventView(db, event, [], new Date('2026-12-01T19:30:00.000Z'), 'Europe/Paris');
    expect(view.from).toBe('2026-12-01T18:12:00.000Z');
    expect(view.perHour.map((h) => [clock(h.hour, 'Europe/Paris'), h.inside, h.around])).toEqual([['19:00', 1, 0], ['20:00', 1, 0]]);
  });
});
