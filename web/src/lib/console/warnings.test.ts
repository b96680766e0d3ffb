import type { Zone } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { activeWarnings, warningLines, warningsInForce } from './warnings.ts';

const square = { type: 'Polygon' as const, coordinates: [[[5.3, 43.2], [5.4, 43.2], [5.4, 43.3], [5.3, 43.2]] as [number, number][]] };
const zone = (id: string, name: string, kind: string, expiresAt?: string): Zone => ({ id, name, kind, tags: [], geometry: square, ...(expiresAt ? { expiresAt } : {}) });
const NOW = Date.parse('2026-11-28T21:00:00Z');

describe('activeWarnings', () => {
  it('one per warning name, its areas together, the soonest to end first; city zones and ended warnings left out', () => {
    const zones = [
      zone('q-1', 'Belsunce', 'quartier'),
      zone('cap-a#0-0', 'Vigilance orange orages', 'warning', '2026-11-28T23:00:00Z'),
      zone('cap-a#0-1', 'Vigilance orange orages', 'warning', '2026-11-28T23:30:00Z'),
      zone('cap-b#0-0', 'Vent violent', 'warning', '2026-11-28T22:00:00Z'),
      zone('cap-c#0-0', 'Canicule', 'warning', '2026-11-28T20:59:59Z'),
      zone('cap-d#0-0', 'Submersion', 'warning'),
    ];
    expect(activeWarnings(zones, NOW)).toEqual([
      { name: 'Vent violent', until: Date.parse('2026-11-28T22:00:00Z'), zoneIds: ['cap-b#0-0'] },
      { name: 'Vigilance orange orages', until: Date.parse('2026-11-28T23:30:00Z'), zoneIds: ['cap-a#0-0', 'cap-a#0-1'] },
      { name: 'Submersion', until: null, zoneIds: ['cap-d#0-0'] },
    ]);
  });

  it('none when no warning is in force', () => {
    expect(activeWarnings([zone('q-1', 'Belsunce', 'quartier'), zone('cap-c#0-0', 'Canicule', 'warning', '2026-11-28T21:00:00Z')], NOW)).toEqual([]);
  });

  it("takes the wall's areas too (an end not said: null)", () => {
    expect(warningsInForce([{ id: 'w1', name: 'Submersion', expiresAt: null }, { id: 'w2', name: 'Canicule', expiresAt: '2026-11-28T20:00:00Z' }], NOW))
      .toEqual([{ name: 'Submersion', until: null, zoneIds: ['w1'] }]);
  });
});

describe('warningLines (the wall\'s banner)', () => {
  it('one line per event and end, naming its areas; other events and ends apart', () => {
    const w = (name: string, until: number | null) => ({ name, until, zoneIds: [name] });
    expect(warningLines([
      w('Vigilance orange orages · Marseille centre', 10), w('Vigilance orange orages · Vélodrome', 10),
      w('Vigilance orange orages · Centre-ville', 20), w('Vigilance jaune vent violent · Littoral sud', 10), w('Alerte attentat', null),
    ])).toEqual([
      { name: 'Vigilance orange orages · Marseille centre, Vélodrome', until: 10 },
      { name: 'Vigilance orange orages · Centre-ville', until: 20 },
      { name: 'Vigilance jaune vent violent · Littoral sud', until: 10 },
      { name: 'Alerte attentat', until: null },
    ]);
  });
});
