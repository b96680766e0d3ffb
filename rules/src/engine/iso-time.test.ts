import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.ts';

describe('parseIsoTime', () => {
  it('agrees with Date.parse on every shape it reads by hand, and defers on the others', () => {
    for (const s of [
      '2026-11-28T21:14:05+01:00', '2026-11-28T21:14:05Z', '2026-11-28T21:14:05.123Z', '2026-11-28T21:14:05.1-05:30',
      '2026-03-29T01:59:59.999999Z', '1999-12-31T23:59:59+14:00', '2026-11-28T21:14:05.5+00:00',
      '2026-11-28', '2026-11-28T21:14Z', 'not a time', '2026-11-28T21:14:05+0100',
    ]) expect(parseIsoTime(s), s).toEqual(Date.parse(s));
  });
});
