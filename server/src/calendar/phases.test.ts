import { describe, expect, it } from 'vitest';
import { phaseAt, phaseChanges, phaseSpans } from './phases.ts';

// A match at 21:00 Paris time (20:00Z in winter), two hours long, arrival 2 h, departure 1 h.
const match = { startsAt: '2026-11-28T20:00:00.000Z', endsAt: '2026-11-28T22:00:00.000Z', arrivalMinutes: 120, departureMinutes: 60 };
const at = (iso: string) => Date.parse(iso);

describe('phaseAt', () => {
  it('is before until the arrival opens, inclusive lower bounds, exclusive upper bounds', () => {
    expect(phaseAt(match, at('2026-11-28T17:59:59.999Z'))).toBe('before');
    expect(phaseAt(match, at('2026-11-28T18:00:00.000Z'))).toBe('arrival');
    expect(phaseAt(match, at('2026-11-28T19:59:59.999Z'))).toBe('arrival');
    expect(phaseAt(match, at('2026-11-28T20:00:00.000Z'))).toBe('during');
    expect(phaseAt(match, at('2026-11-28T21:59:59.999Z'))).toBe('during');
    expect(phaseAt(match, at('2026-11-28T22:00:00.000Z'))).toBe('departure');
    expect(phaseAt(match, at('2026-11-28T22:59:59.999Z'))).toBe('departure');
    expect(phaseAt(match, at('2026-11-28T23:00:00.000Z'))).toBe('after');
  });

  it('skips an empty arrival or departure phase', () => {
    const demo = { ...match, arrivalMinutes: 0, departureMinutes: 0 };
    expect(phaseSpans(demo).map((s) => s.phase)).toEqual(['during']);
    expect(phaseAt(demo, at('2026-11-28T19:59:59.999Z'))).toBe('before');
    expect(phaseAt(demo, at('2026-11-28T20:00:00.000Z'))).toBe('during');
    expect(phaseAt(demo, at('2026-11-28T22:00:00.000Z'))).toBe('after');
  });

  it('lists the spans end to end', () => {
    expect(phaseSpans(match)).toEqual([
      { phase: 'arrival', from: '2026-11-28T18:00:00.000Z', to: '2026-11-28T20:00:00.000Z' },
      { phase: 'during', from: '2026-11-28T20:00:00.000Z', to: '2026-11-28T22:00:00.000Z' },
      { phase: 'departure', from: '2026-11-28T22:00:00.000Z', to: '2026-11-28T23:00:00.000Z' },
    ]);
  });
});

describe('phaseChanges', () => {
  it('reports new events and changed phases only', () => {
    const before = new Map([['a', 'arrival' as const], ['b', 'during' as const]]);
    const after = new Map([['a', 'during' as const], ['b', 'during' as const], ['c', 'arrival' as const]]);
    expect(phaseChanges(before, after)).toEqual([{ id: 'a', from: 'arrival', to: 'during' }, { id: 'c', from: null, to: 'arrival' }]);
  });
});
