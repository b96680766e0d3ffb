import { describe, expect, it } from 'vitest';
import { elapsed, formatClock, formatDateTime } from './time.ts';

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

describe('formatClock and formatDateTime', () => {
  it('format a 24-hour clock in the given time zone', () => {
    expect(formatClock(Date.parse('2026-11-28T20:14:05Z'), 'fr', 'Europe/Paris')).toBe('21:14:05');
    expect(formatClock(Date.parse('2026-11-28T20:14:05Z'), 'en', 'UTC')).toBe('20:14:05');
  });

  it('show the day and month, and pass through what is not a date', () => {
    expect(formatDateTime('2026-11-28T20:14:05Z', 'fr', 'Europe/Paris')).toBe('28/11 21:14:05');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
  });
});
