import { describe, expect, it } from 'vitest';
import { zonedToUtc } from './zoned-time.ts';

const at = (month: number, day: number, hour: number, minute = 0) => new Date(zonedToUtc({ year: 2026, month, day, hour, minute, second: 0 }, 'Europe/Paris')).toISOString();

describe('zonedToUtc', () => {
  it('reads the city clock in winter and in summer', () => {
    expect(at(1, 15, 12)).toBe('2026-01-15T11:00:00.000Z');
    expect(at(7, 15, 12)).toBe('2026-07-15T10:00:00.000Z');
  });

  it('is right on both sides of the daylight-saving changes', () => {
    expect(at(3, 29, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
    expect(at(3, 29, 3)).toBe('2026-03-29T01:00:00.000Z');
    expect(at(10, 25, 1, 59)).toBe('2026-10-24T23:59:00.000Z');
    expect(at(10, 25, 4)).toBe('2026-10-25T03:00:00.000Z');
  });
});
