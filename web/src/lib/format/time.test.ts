import { describe, expect, it } from 'vitest';
import { cityInputInstant, cityInputValue, elapsed, eventTime, formatClock, formatDateTime, formatFullDateTime, formatLocalDate, hourMinute, inputValueText, longDate, slotTime, untilParams } from './time.ts';

const NOW = Date.parse('2026-11-28T21:00:00Z');

describe('elapsed', () => {
  it('picks the largest whole unit', () => {
    expect(elapsed(NOW - 2_000, NOW)).toEqual({ key: 'since.now', n: 0 });
    expect(elapsed(NOW - 42_000, NOW)).toEqual({ key: 'since.seconds', n: 42 });
    expect(elapsed(NOW - 3 * 60_000 - 59_000, NOW)).toEqual({ key: 'since.minutes', n: 3 });
    expect(elapsed(NOW - 5 * 3_600_000, NOW)).toEqual({ key: 'since.hours', n: 5 });
    expect(elapsed(NOW - 50 * 3_600_000, NOW)).toEqual({ key: 'since.days', n: 2 });
  });

  it('treats a time in the future (clock skew) or an invalid one as now', () => {
    expect(elapsed(NOW + 60_000, NOW).key).toBe('since.now');
    expect(elapsed(Number.NaN, NOW).key).toBe('since.now');
  });
});

describe('the city-clock formatters', () => {
  // A CSV's "21:14:05" in Marseille in winter (UTC+1), and the same instant as an ISO time with another offset.
  const winter = '2026-11-28T21:14:05+01:00';
  const winterMs = Date.parse(winter);
  const summer = '2026-07-14T22:30:00+02:00';

  it('format a 24-hour clock in the given time zone, not the machine\'s', () => {
    expect(formatClock(winterMs, 'fr', 'Europe/Paris')).toBe('21:14:05');
    expect(formatClock(winterMs, 'en', 'UTC')).toBe('20:14:05');
    expect(formatClock(winterMs, 'fr', 'America/New_York')).toBe('15:14:05');
    expect(formatClock(Date.parse(summer), 'fr', 'Europe/Paris')).toBe('22:30:00');
  });

  it('show the day and month in the zone (the date turns at the zone\'s midnight), and pass through what is not a date', () => {
    expect(formatDateTime(winter, 'fr', 'Europe/Paris')).toBe('28/11 21:14:05');
    expect(formatDateTime('2026-11-28T23:30:00Z', 'fr', 'Europe/Paris')).toBe('29/11 00:30:00');
    // With its year and without seconds (a CSV export's record): the city's clock, summer time included.
    expect(formatFullDateTime('2026-10-01T00:02:00+02:00', 'fr', 'Europe/Paris')).toBe('01/10/2026 00:02');
    // In English the month by its name: 01/12 would read as the 12th of January to some.
    expect(formatFullDateTime('2025-11-28T20:14:00Z', 'en', 'Europe/Paris')).toBe('28 Nov 2025, 21:14');
    expect(formatDateTime('2026-11-28T23:30:00Z', 'en', 'America/New_York')).toBe('28 Nov, 18:30:00');
    expect(formatDateTime('2026-12-01T00:46:00Z', 'en', 'Europe/Paris')).toBe('1 Dec, 01:46:00');
    expect(formatDateTime('not a date', 'en', 'Europe/Paris')).toBe('not a date');
  });

  it('require the zone (a time without one would be on the browser\'s clock)', () => {
    // @ts-expect-error the zone is a required argument (checked by svelte-check)
    expect(() => formatDateTime(winter, 'fr')).not.toThrow();
  });

  it('give hours and minutes, of an instant or an ISO time, and a slot hours later', () => {
    expect(hourMinute(winterMs, 'fr', 'Europe/Paris')).toBe('21:14');
    expect(hourMinute(winter, 'en', 'Asia/Tokyo')).toBe('05:14');
    expect(slotTime(winter, 3, 'fr', 'Europe/Paris')).toBe('00:14');
  });

  it('name the day in the zone', () => {
    expect(longDate(Date.parse('2026-11-28T23:30:00Z'), 'fr', 'Europe/Paris')).toBe('dimanche 29 novembre');
    expect(longDate(Date.parse('2026-11-28T23:30:00Z'), 'en', 'America/New_York')).toBe('Saturday 28 November');
    expect(eventTime('2026-11-28T23:30:00Z', 'fr', 'Europe/Paris')).toMatch(/^dim\. 29 nov\.? 00:30$|^dim\. 29 nov\., 00:30$/);
  });
});

describe('times typed in a form, on the city clock', () => {
  const PARIS = 'Europe/Paris';
  const iso = (v: string, tz = PARIS) => new Date(cityInputInstant(v, tz)!.ms).toISOString();

  it('read a datetime-local value on the city clock, winter and summer, whatever the machine\'s zone', () => {
    expect(cityInputInstant('2026-11-28T21:00', PARIS)).toEqual({ ms: Date.parse('2026-11-28T20:00:00Z'), clock: 'exact' });
    expect(iso('2026-07-14T22:30')).toBe('2026-07-14T20:30:00.000Z');
    expect(iso('2026-07-14T22:30', 'America/New_York')).toBe('2026-07-15T02:30:00.000Z');
    expect(iso('2026-12-31T23:59')).toBe('2026-12-31T22:59:00.000Z');
    expect(iso('2026-07-14T22:30:00')).toBe('2026-07-14T20:30:00.000Z');
  });

  it('write an instant as the datetime-local value the city clock shows, the date turning at the city\'s midnight', () => {
    expect(cityInputValue('2026-11-28T23:30:00Z', PARIS)).toBe('2026-11-29T00:30');
    expect(cityInputValue(Date.parse('2026-07-14T20:30:00Z'), PARIS)).toBe('2026-07-14T22:30');
    expect(cityInputValue('2026-11-28T23:30:00Z', 'America/New_York')).toBe('2026-11-28T18:30');
  });

  it('go and come back unchanged for every quarter hour of the days of both clock changes', () => {
    for (const day of ['2026-03-29', '2026-10-25']) {
      const from = Date.parse(`${day}T00:00:00+01:00`) - 86_400_000;
      for (let ms = from; ms < from + 3 * 86_400_000; ms += 15 * 60_000) {
        const value = cityInputValue(ms, PARIS);
        const back = cityInputInstant(value, PARIS)!;
        // An hour shown twice in October reads back as its first (summer) occurrence.
        expect(back.clock === 'repeated' ? back.ms === ms || back.ms === ms - 3_600_000 : back.ms === ms, `${value} ${new Date(ms).toISOString()}`).toBe(true);
      }
    }
  });

  it('say when a time falls in the hour skipped in March (taken an hour later) or shown twice in October (taken the first time)', () => {
    expect(cityInputInstant('2026-03-29T02:30', PARIS)).toEqual({ ms: Date.parse('2026-03-29T01:30:00Z'), clock: 'skipped' });
    expect(cityInputValue(cityInputInstant('2026-03-29T02:30', PARIS)!.ms, PARIS)).toBe('2026-03-29T03:30');
    expect(cityInputInstant('2026-03-29T01:59', PARIS)).toEqual({ ms: Date.parse('2026-03-29T00:59:00Z'), clock: 'exact' });
    expect(cityInputInstant('2026-03-29T03:00', PARIS)).toEqual({ ms: Date.parse('2026-03-29T01:00:00Z'), clock: 'exact' });
    expect(cityInputInstant('2026-10-25T02:30', PARIS)).toEqual({ ms: Date.parse('2026-10-25T00:30:00Z'), clock: 'repeated' });
    expect(cityInputInstant('2026-10-25T03:00', PARIS)).toEqual({ ms: Date.parse('2026-10-25T02:00:00Z'), clock: 'exact' });
    expect(cityInputInstant('2026-10-25T01:59', PARIS)).toEqual({ ms: Date.parse('2026-10-24T23:59:00Z'), clock: 'exact' });
  });

  it('refuse what is not a time', () => {
    for (const v of ['', 'tonight', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01 10:00']) expect(cityInputInstant(v, PARIS), v).toBeNull();
  });
});

describe('untilParams', () => {
  const PARIS = 'Europe/Paris';
  const now = Date.parse('2026-11-29T08:00:00Z'); // 09:00 in Paris
  it('the time alone when it ends on the city\'s day, tomorrow on the next, the day too when later (or in UTC, another day)', () => {
    expect(untilParams(Date.parse('2026-11-29T22:30:00Z'), now, 'fr', PARIS)).toEqual({ key: 'warnings.until', time: '23:30' });
    expect(untilParams(Date.parse('2026-11-29T23:30:00Z'), now, 'fr', PARIS)).toEqual({ key: 'warnings.untilTomorrow', time: '00:30' });
    expect(untilParams(Date.parse('2026-11-30T05:00:00Z'), now, 'en', PARIS)).toEqual({ key: 'warnings.untilTomorrow', time: '06:00' });
    expect(untilParams(Date.parse('2026-11-30T23:30:00Z'), now, 'fr', PARIS)).toEqual({ key: 'warnings.untilDay', time: 'mar. 1 déc., 00:30' });
    expect(untilParams(Date.parse('2026-11-29T23:30:00Z'), now, 'fr', 'UTC')).toEqual({ key: 'warnings.until', time: '23:30' });
    // The city's next day across a change of the clocks (25 hours long), and across a month's end.
    expect(untilParams(Date.parse('2026-10-25T22:30:00Z'), Date.parse('2026-10-24T20:30:00Z'), 'fr', PARIS)).toEqual({ key: 'warnings.untilTomorrow', time: '23:30' });
    expect(untilParams(Date.parse('2026-12-01T06:00:00Z'), Date.parse('2026-11-30T20:00:00Z'), 'fr', PARIS)).toEqual({ key: 'warnings.untilTomorrow', time: '07:00' });
    // Another year of the city's calendar says so.
    expect(untilParams(Date.parse('2027-01-05T05:00:00Z'), now, 'fr', PARIS)).toEqual({ key: 'warnings.untilDay', time: 'mar. 5 janv. 2027, 06:00' });
    expect(untilParams(Date.parse('2026-12-31T23:30:00Z'), Date.parse('2026-12-31T12:00:00Z'), 'en', PARIS)).toEqual({ key: 'warnings.untilTomorrow', time: '00:30' });
    expect(untilParams(Date.parse('2027-01-01T23:30:00Z'), Date.parse('2026-12-31T12:00:00Z'), 'en', PARIS)).toEqual({ key: 'warnings.untilDay', time: 'Sat, 2 Jan 2027, 00:30' });
  });
});

describe('formatLocalDate', () => {
  it('formatLocalDate writes a city\'s date in each language, whatever the browser\'s time zone', () => {
    expect(formatLocalDate('2026-11-23', 'fr')).toBe('lundi 23 novembre');
    expect(formatLocalDate('2026-11-29', 'en')).toBe('Sunday 29 November');
  });
});

describe('inputValueText', () => {
  const PARIS = 'Europe/Paris';
  it('says a typed time as the console writes it in its language, 24-hour, whatever the browser\'s', () => {
    expect(inputValueText('2026-11-28T21:14', 'fr', PARIS)).toBe('sam. 28 nov. 2026, 21:14');
    expect(inputValueText('2026-11-28T21:14', 'en', PARIS)).toBe('Sat, 28 Nov 2026, 21:14');
    expect(inputValueText('2027-01-05T06:00', 'fr', PARIS)).toBe('mar. 5 janv. 2027, 06:00');
  });

  it('a time the clocks skip as the one it is taken for, nothing for what is not a time', () => {
    expect(inputValueText('2026-03-29T02:30', 'fr', PARIS)).toBe('dim. 29 mars 2026, 03:30');
    for (const v of ['', '2026-02-30T10:00', 'tonight']) expect(inputValueText(v, 'fr', PARIS), v).toBeNull();
  });
});
