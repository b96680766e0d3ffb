import { describe, expect, it } from 'vitest';
import { geometryContains } from '@vigie/rules';
import { DEMO_PLACES } from '../demo/places.ts';
import { PARIS_ICS } from './ics-fixture.ts';
import { parseIcs } from './ics-import.ts';

const options = { places: DEMO_PLACES, timeZone: 'Europe/Paris', until: new Date('2027-01-01T00:00:00Z') };

describe('parseIcs', () => {
  const { events, rejected } = parseIcs(PARIS_ICS, options);
  const byTitle = (prefix: string) => events.filter((e) => e.event.title.startsWith(prefix));

  it('expands a weekly event across the end of daylight saving time, without the EXDATE, with the moved occurrence', () => {
    const market = byTitle('Marché de la Plaine').map((e) => [e.event.startsAt, e.event.endsAt, e.event.title]);
    expect(market).toEqual([
      // 08:00 CEST = 06:00Z until 25 October 2026…
      ['2026-10-10T06:00:00.000Z', '2026-10-10T11:00:00.000Z', 'Marché de la Plaine'],
      ['2026-10-17T06:00:00.000Z', '2026-10-17T11:00:00.000Z', 'Marché de la Plaine'],
      ['2026-10-24T06:00:00.000Z', '2026-10-24T11:00:00.000Z', 'Marché de la Plaine'],
      // …31 October is excluded, then 08:00 CET = 07:00Z
      ['2026-11-07T07:00:00.000Z', '2026-11-07T12:00:00.000Z', 'Marché de la Plaine'],
      ['2026-11-14T08:00:00.000Z', '2026-11-14T13:00:00.000Z', 'Marché de la Plaine (décalé)'],
    ]);
    const uids = byTitle('Marché').map((e) => e.uid);
    expect(new Set(uids).size).toBe(5);
    expect(uids[0]).toBe('marche-plaine@marseille.fr/2026-10-10T06:00:00.000Z');
  });

  it('places the market at the known place named by LOCATION, with a kind read from CATEGORIES', () => {
    const [m] = byTitle('Marché');
    expect(m!.event.kind).toBe('fair');
    expect(m!.event.location).toEqual({ lat: 43.2938, lon: 5.3866 });
    expect(m!.event.expectedAttendance).toBe(3000);
    expect(geometryContains(m!.event.perimeter, 5.3866, 43.2938)).toBe(true);
  });

  it('reads a single event in Paris time on the day the clocks go back, placed by GEO', () => {
    const [om] = byTitle('OM');
    // 25 October 2026: 20:45 CET (the change happened at 03:00 that morning) = 19:45Z
    expect(om!.event).toMatchObject({ kind: 'match', venue: 'Orange Vélodrome', startsAt: '2026-10-25T19:45:00.000Z', endsAt: '2026-10-25T21:45:00.000Z', expectedAttendance: 65000, location: { lat: 43.2699, lon: 5.3959 } });
  });

  it('reads the times the clocks skip or show twice as RFC 5545 says, the file\'s VTIMEZONE or not', () => {
    const at = (local: string, withZone: boolean) => {
      const ics = PARIS_ICS.replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r?\n/, `BEGIN:VEVENT\r\nUID:dst@x\r\nDTSTAMP:20260901T080000Z\r\nDTSTART;TZID=Europe/Paris:${local}\r\nDURATION:PT1H\r\nSUMMARY:DST\r\nCATEGORIES:MATCH\r\nGEO:43.2699;5.3959\r\nEND:VEVENT\r\n`);
      const text = withZone ? ics : ics.replace(/BEGIN:VTIMEZONE[\s\S]*END:VTIMEZONE\r?\n/, '');
      if (withZone) expect(text).toContain('BEGIN:VTIMEZONE');
      else expect(text).not.toContain('BEGIN:VTIMEZONE');
      return parseIcs(text, { ...options, until: new Date('2028-01-01T00:00:00Z') }).events.find((e) => e.uid.startsWith('dst@'))!.event.startsAt;
    };
    for (const withZone of [true, false]) {
      // 28 March 2027: 02:00–03:00 does not exist; read with the offset before the gap (+01:00).
      expect(at('20270328T023000', withZone)).toBe('2027-03-28T01:30:00.000Z');
      expect(at('20270328T020000', withZone)).toBe('2027-03-28T01:00:00.000Z');
      // 31 October 2027: 02:00–03:00 happens twice; the first (+02:00).
      expect(at('20271031T023000', withZone)).toBe('2027-10-31T00:30:00.000Z');
      expect(at('20271031T120000', withZone)).toBe('2027-10-31T11:00:00.000Z');
    }
    // DURATION:PT1H is one hour exactly, even from a time the clocks skip.
    const ics = PARIS_ICS.replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r?\n/, 'BEGIN:VEVENT\r\nUID:dst@x\r\nDTSTAMP:20260901T080000Z\r\nDTSTART;TZID=Europe/Paris:20270328T013000\r\nDURATION:PT1H\r\nSUMMARY:DST\r\nCATEGORIES:MATCH\r\nGEO:43.2699;5.3959\r\nEND:VEVENT\r\n');
    expect(parseIcs(ics, { ...options, until: new Date('2028-01-01T00:00:00Z') }).events[0]!.event).toMatchObject({ startsAt: '2027-03-28T00:30:00.000Z', endsAt: '2027-03-28T01:30:00.000Z' });
  });

  it('reads summer time, UTC times and X-VIGIE-RADIUS', () => {
    expect(byTitle('Concert')[0]!.event.startsAt).toBe('2026-07-12T19:00:00.000Z');
    const demo = byTitle('Manifestation')[0]!.event;
    expect(demo.startsAt).toBe('2026-11-21T13:00:00.000Z');
    expect(demo.kind).toBe('demonstration');
    // 1000 m radius: a point 900 m north is inside, 1100 m north is not
    expect(geometryContains(demo.perimeter, 5.374, 43.2951 + 900 / 111_195)).toBe(true);
    expect(geometryContains(demo.perimeter, 5.374, 43.2951 + 1100 / 111_195)).toBe(false);
  });

  it('rejects an event without a kind, naming the property and its reason as data (for the console to word), and keeps the others', () => {
    expect(rejected).toEqual([{
      index: 5, uid: 'sans-type@marseille.fr', summary: 'Réunion', startsAt: '2026-12-05T09:00:00.000Z',
      error: { code: 'VIGIE_VALIDATION', message: expect.stringContaining('CATEGORIES'), field: 'CATEGORIES', reason: { key: 'one_of', values: ['match', 'concert', 'demonstration', 'fair'] } },
    }]);
    expect(events).toHaveLength(8);
  });

  it('reads a category named like an object\'s member (constructor, __proto__) as no kind', () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      const ics = PARIS_ICS.replace('SUMMARY:Réunion', `SUMMARY:Réunion\r\nCATEGORIES:${word}`);
      const r = parseIcs(ics, options);
      expect(r.rejected).toEqual([expect.objectContaining({ index: 5, uid: 'sans-type@marseille.fr', error: expect.objectContaining({ field: 'CATEGORIES' }) })]);
      expect(r.events).toHaveLength(8);
    }
  });

  it('says why as data for a missing UID, a place it cannot locate, and an event the calendar refuses', () => {
    const vevent = (lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', ...lines, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const base = ['DTSTART:20261201T180000Z', 'DTEND:20261201T200000Z', 'SUMMARY:Test', 'CATEGORIES:concert'];
    expect(parseIcs(vevent(base.concat('GEO:43.3;5.4')), options).rejected).toEqual([expect.objectContaining({ error: expect.objectContaining({ field: 'UID', reason: { key: 'required' } }) })]);
    expect(parseIcs(vevent(base.concat('UID:u1', 'LOCATION:Nulle part')), options).rejected).toEqual([expect.objectContaining({ error: expect.objectContaining({ field: 'GEO', reason: { key: 'required' }, message: expect.stringContaining('Nulle part') }) })]);
    const long = ['DTSTART:20261201T180000Z', 'DTEND:20271201T200000Z', 'SUMMARY:Test', 'CATEGORIES:concert', 'UID:u2', 'GEO:43.3;5.4'];
    expect(parseIcs(vevent(long), options).rejected).toEqual([expect.objectContaining({ summary: 'Test', startsAt: '2026-12-01T18:00:00.000Z', error: expect.objectContaining({ field: 'endsAt', reason: { key: 'too_big', limit: 92 } }) })]);
    // No SUMMARY, no DTSTART: nothing to name it by but its UID.
    expect(parseIcs(vevent(['UID:u3', 'CATEGORIES:concert', 'GEO:43.3;5.4']), options).rejected).toEqual([expect.objectContaining({ uid: 'u3', summary: null, startsAt: null })]);
  });

  it('refuses, each alone, an event on a day or at an hour that does not exist and one whose recurrence cannot be read, and keeps the others', () => {
    const vevent = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'SUMMARY:Test', 'CATEGORIES:concert', 'GEO:43.3;5.4', ...lines, 'END:VEVENT'];
    const file = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      ...vevent('month13', ['DTSTART:20261310T200000Z', 'DTEND:20261310T220000Z']),
      ...vevent('feb31', ['DTSTART:20270131T200000Z', 'DTEND:20270231T220000Z']),
      ...vevent('hour25', ['DTSTART;TZID=Europe/Paris:20261210T250000', 'DTEND;TZID=Europe/Paris:20261210T230000']),
      ...vevent('badrule', ['DTSTART:20261201T180000Z', 'DTEND:20261201T200000Z', 'RRULE:FREQ=YEARLY;BYDAY=XX']),
      ...vevent('rdate', ['DTSTART:20261201T180000Z', 'DTEND:20261201T200000Z', 'RDATE:20261202T180000Z,20270230T180000Z']),
      ...vevent('fine', ['DTSTART:20261201T180000Z', 'DTEND:20261201T200000Z']),
      'END:VCALENDAR'].join('\r\n');
    const r = parseIcs(file, options);
    expect(r.rejected.map((x) => [x.uid, x.error.field, x.error.reason])).toEqual([
      ['month13', 'DTSTART', { key: 'datetime' }], ['feb31', 'DTEND', { key: 'datetime' }], ['hour25', 'DTSTART', { key: 'datetime' }], ['badrule', 'RRULE', { key: 'format' }], ['rdate', 'RDATE', { key: 'datetime' }],
    ]);
    expect(r.rejected[0]!.error.message).toBe('DTSTART: not a real date and time: 20261310T200000Z');
    // Each named for the console by its SUMMARY and its start when that is a real time, the time that is not as written.
    expect(r.rejected.map((x) => [x.summary, x.startsAt, x.error.value])).toEqual([
      ['Test', null, '20261310T200000Z'], ['Test', '2027-01-31T20:00:00.000Z', '20270231T220000Z'], ['Test', null, '20261210T250000'],
      ['Test', '2026-12-01T18:00:00.000Z', undefined], ['Test', '2026-12-01T18:00:00.000Z', '20270230T180000Z'],
    ]);
    expect(r.events.map((e) => e.uid)).toEqual(['fine']);
  });

  it('stops recurring events at the horizon', () => {
    const short = parseIcs(PARIS_ICS, { ...options, until: new Date('2026-10-20T00:00:00Z') });
    expect(short.events.filter((e) => e.event.title.startsWith('Marché'))).toHaveLength(2);
  });

  it('refuses a file that is not iCalendar', () => {
    expect(() => parseIcs('hello', options)).toThrow();
  });
});
