import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.ts';

describe('parseIsoTime', () => {
  it('agrees with Date.parse on every shape it reads by hand, and defers on the others', () => {
    for (const s of [
      '2026-11-28T21:14:05+01:00', '2026-11-28T21:14:05Z', '2026-11-28T21:14:05.123Z', '2026-11-28T21:14:05.1-05:30',
      '2026-03-29T01:59:59.999999Z', '1999-12-31T23:59:59+14:00', '2026-11-28T21:14:05.5+00:00',
      '2026-11-28', '2026-11-28T21:14Z', 'not a time', '2026-11-28T21:14:05+0100',
      '2024-02-29T12:00:00Z', '2000-02-29T00:00:00Z', '1900-03-01T00:00:00Z', '1600-02-29T23:59:59Z', '0100-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z', '2026-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59Z',
    ]) expect(parseIsoTime(s), s).toEqual(Date.parse(s));
  });

  it('agrees with Date.parse on any valid instant in any offset', () => {
    fc.assert(fc.property(
      fc.date({ min: new Date('0100-01-02T00:00:00Z'), max: new Date('9999-12-30T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
      fc.boolean(),
      (d, offsetMin, withMs) => {
        const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, withMs ? 23 : 19);
        const sign = offsetMin < 0 ? '-' : '+';
        const a = Math.abs(offsetMin);
        const s = `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
        expect(parseIsoTime(s), s).toBe(Date.parse(s));
        expect(parseIsoTime(`${local}Z`)).toBe(Date.parse(`${local}Z`));
      },
    ), { numRuns: 5000 });
  });

  it('reads out-of-range fields as Date.UTC does (days and hours roll over)', () => {
    expect(parseIsoTime('2026-02-30T25:61:61Z')).toBe(Date.UTC(2026, 1, 30, 25, 61, 61));
    expect(parseIsoTime('2026-13-01T00:00:00Z')).toBe(Date.UTC(2026, 12, 1, 0, 0, 0));
    expect(parseIsoTime('0026-01-01T00:00:00Z')).toBe(Date.UTC(26, 0, 1, 0, 0, 0));
  });
});
