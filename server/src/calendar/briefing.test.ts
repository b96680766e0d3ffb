import { describe, expect, it } from 'vitest';
import { computeBriefing, type PastEvent } from './briefing.ts';

const target = { id: 'next', kind: 'match' as const, venue: 'Stade Vélodrome', expectedAttendance: 60_000, startsAt: '2026-12-05T19:00:00Z', hours: 3 };
const incidents = (slot: number, sector: string, n: number) => Array.from({ length: n }, () => ({ slot, sector }));

// Seeded history. Usual activity: 1 incident an hour in sector A, 0.5 in B, nothing in C.
const usual = { A: [1, 1, 1], B: [0.5, 0.5, 0.5] };
const history: PastEvent[] = [
  // Same venue, same attendance: slot 0 A saw 5 (extra 4), slot 2 B saw 2.5 → 2 (extra 1.5), C 2 in slot 1 (extra 2).
  { id: 'm1', kind: 'match', venue: 'Stade Vélodrome', expectedAttendance: 60_000, startsAt: '2026-10-03T19:00:00Z', hours: 3,
    incidents: [...incidents(0, 'A', 5), ...incidents(2, 'B', 2), ...incidents(1, 'C', 2)] },
  // Same kind elsewhere, half the crowd (scale ×2): slot 0 A saw 3 (extra 2 → 4), slot 1 C 0 (extra 0).
  { id: 'm2', kind: 'match', venue: 'Stade Delort', expectedAttendance: 30_000, startsAt: '2026-10-17T19:00:00Z', hours: 3,
    incidents: [...incidents(0, 'A', 3)] },
  // Not comparable: a concert at another venue, and a match at the venue with a tenth of the crowd.
  { id: 'c1', kind: 'concert', venue: 'Dôme', expectedAttendance: 60_000, startsAt: '2026-10-10T19:00:00Z', hours: 3, incidents: incidents(0, 'A', 50) },
  { id: 'm3', kind: 'match', venue: 'Stade Vélodrome', expectedAttendance: 6_000, startsAt: '2026-09-10T19:00:00Z', hours: 3, incidents: incidents(0, 'A', 50) },
];
const accessPoints = [
  { id: 'rond-point-du-prado', name: 'Rond-point du Prado', location: { lat: 43.2713, lon: 5.3902 }, share: 3 },
  { id: 'sainte-marguerite', name: 'Sainte-Marguerite Dromel', location: { lat: 43.2628, lon: 5.4061 }, share: 1 },
];

describe('computeBriefing', () => {
  const b = computeBriefing({ target, history, usual, accessPoints });

  it('keeps the comparable events only: same venue or kind, attendance within a factor of two', () => {
    expect(b.comparables.map((c) => [c.id, c.sameVenue, c.scale])).toEqual([['m1', true, 1], ['m2', false, 2]]);
  });

  it('expects the usual plus the mean scaled extra, per sector and hour, with patrol pairs to cover it', () => {
    const at = (slot: number, sector: string) => b.sectors.find((s) => s.slot === slot && s.sector === sector);
    // A slot 0: usual 1 + mean(4 × 1, 2 × 2) = 5 → 3 pairs = 6 agents
    expect(at(0, 'A')).toEqual({ slot: 0, sector: 'A', usual: 1, extra: 4, expected: 5, agents: 6 });
    // A slot 1: nothing extra → 1 → 1 pair
    expect(at(1, 'A')).toEqual({ slot: 1, sector: 'A', usual: 1, extra: 0, expected: 1, agents: 2 });
    // B slot 2: usual 0.5 + mean(1.5, 0) = 1.25 → 1 pair
    expect(at(2, 'B')).toEqual({ slot: 2, sector: 'B', usual: 0.5, extra: 0.75, expected: 1.25, agents: 2 });
    // C slot 1: mean(2, 0) = 1; C slot 0: nothing at all, no line
    expect(at(1, 'C')).toEqual({ slot: 1, sector: 'C', usual: 0, extra: 1, expected: 1, agents: 2 });
    expect(at(0, 'C')).toBeUndefined();
  });

  it('sums per hour and ranks the sectors', () => {
    expect(b.perHour).toEqual([
      { slot: 0, expected: 5.5, agents: 8 },
      { slot: 1, expected: 2.5, agents: 6 },
      { slot: 2, expected: 2.25, agents: 4 },
    ]);
    expect(b.where).toEqual([{ sector: 'A', expected: 7 }, { sector: 'B', expected: 2.25 }, { sector: 'C', expected: 1 }]);
  });

  it('puts barrier sections at the access points in proportion to their share of the crowd', () => {
    expect(b.barriers).toEqual([
      { accessPoint: 'rond-point-du-prado', name: 'Rond-point du Prado', people: 45_000, barriers: 45 },
      { accessPoint: 'sainte-marguerite', name: 'Sainte-Marguerite Dromel', people: 15_000, barriers: 15 },
    ]);
  });

  it('falls back on the usual activity when no past event compares', () => {
    const alone = computeBriefing({ target: { ...target, kind: 'fair', venue: 'Parc Chanot' }, history, usual, accessPoints: [] });
    expect(alone.comparables).toEqual([]);
    expect(alone.perHour[0]).toEqual({ slot: 0, expected: 1.5, agents: 4 });
    expect(alone.barriers).toEqual([]);
  });
});
