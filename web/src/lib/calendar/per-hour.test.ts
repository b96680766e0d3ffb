import { describe, expect, it } from 'vitest';
import { slotTime, startOfCityHour } from '../format/time.ts';
import { hourlyCounts } from './per-hour.ts';

type Incident = { type: string; time: string; lat: number; lon: number; severity: number | null; sector: 'perimeter' | 'north' };
const incident = (time: string, sector: Incident['sector'] = 'perimeter'): Incident => ({ type: 'incident.theft', time, lat: 43.27, lon: 5.39, severity: 2, sector });
// The server's buckets, from the period's start at 05:12 (Paris, winter: UTC+1).
const serverPerHour = [
  { hour: '2026-12-01T04:12:00.000Z', inside: 0, around: 0 },
  { hour: '2026-12-01T05:12:00.000Z', inside: 0, around: 0 },
  { hour: '2026-12-01T06:12:00.000Z', inside: 0, around: 0 },
];

describe('the event page’s incidents per hour', () => {
  it('starts on the hour of the city’s clock, not at the minute the period starts (05:00, 06:00, not 05:12, 06:12)', () => {
    const view = {
      from: '2026-12-01T04:12:30.000Z', to: '2026-12-01T07:05:00.000Z', perHour: serverPerHour,
      incidents: [incident('2026-12-01T04:20:00.000Z'), incident('2026-12-01T04:59:59.999Z', 'north'), incident('2026-12-01T05:00:00.000Z'), incident('2026-12-01T07:04:00.000Z', 'north')],
    };
    const hours = hourlyCounts(view, 'Europe/Paris');
    expect(hours.map((h) => slotTime(h.hour, 0, 'fr', 'Europe/Paris'))).toEqual(['05:00', '06:00', '07:00', '08:00']);
    expect(hours.map((h) => [h.inside, h.around])).toEqual([[1, 1], [1, 0], [0, 0], [0, 1]]);
    // Every incident counted once, as the server counted them.
    expect(hours.reduce((n, h) => n + h.inside + h.around, 0)).toBe(view.incidents.length);
  });

  it('follows the city’s zone, summer time and zones half an hour off UTC included', () => {
    // Paris in summer (UTC+2): 21:40 local is 19:40 UTC; its hour starts at 21:00 local.
    const summer = hourlyCounts({ from: '2026-07-14T19:40:00.000Z', to: '2026-07-14T21:10:00.000Z', perHour: [], incidents: [incident('2026-07-14T20:05:00.000Z')] }, 'Europe/Paris');
    expect(summer.map((h) => slotTime(h.hour, 0, 'fr', 'Europe/Paris'))).toEqual(['21:00', '22:00', '23:00']);
    expect(summer.map((h) => h.inside)).toEqual([0, 1, 0]);
    // Kolkata (UTC+5:30): 10:45 local is 05:15 UTC; its hour starts at 10:00 local, 04:30 UTC.
    expect(new Date(startOfCityHour(Date.parse('2026-12-01T05:15:42.000Z'), 'Asia/Kolkata')).toISOString()).toBe('2026-12-01T04:30:00.000Z');
    const kolkata = hourlyCounts({ from: '2026-12-01T05:15:00.000Z', to: '2026-12-01T06:00:00.000Z', perHour: [], incidents: [] }, 'Asia/Kolkata');
    expect(kolkata.map((h) => slotTime(h.hour, 0, 'en', 'Asia/Kolkata'))).toEqual(['10:00', '11:00']);
  });

  it('leaves out an hour that would start exactly at the period’s end, and keeps one bar for an empty period', () => {
    const exact = hourlyCounts({ from: '2026-12-01T04:00:00.000Z', to: '2026-12-01T06:00:00.000Z', perHour: [], incidents: [] }, 'Europe/Paris');
    expect(exact.map((h) => slotTime(h.hour, 0, 'fr', 'Europe/Paris'))).toEqual(['05:00', '06:00']);
    const empty = hourlyCounts({ from: '2026-12-01T04:12:00.000Z', to: '2026-12-01T04:12:00.000Z', perHour: [], incidents: [] }, 'Europe/Paris');
    expect(empty).toEqual([{ hour: '2026-12-01T04:00:00.000Z', inside: 0, around: 0 }]);
  });

  it('keeps the server’s buckets when the period cannot be read', () => {
    expect(hourlyCounts({ from: 'n/a', to: 'n/a', perHour: serverPerHour, incidents: [] }, 'Europe/Paris')).toEqual(serverPerHour);
  });
});
