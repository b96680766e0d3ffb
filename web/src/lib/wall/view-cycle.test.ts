import { describe, expect, it } from 'vitest';
import type { WallBootstrap, WallMajorEvent } from '@vigie/rules';
import { resolveViews, viewIndexAt } from './view-cycle.ts';

const zone = { id: 'sector-1', name: 'Vieux-Port', kind: 'sector', geometry: { type: 'Polygon' as const, coordinates: [[[5, 43], [5.1, 43], [5.1, 43.1], [5, 43]]] } } satisfies WallBootstrap['zones'][number];
const event = (id: string, phase: WallMajorEvent['phase']) => ({ id, phase }) as WallMajorEvent;

describe('resolveViews', () => {
  it('skips the event view without an event and a district that is not known', () => {
    const views = resolveViews([{ kind: 'city' }, { kind: 'event' }, { kind: 'district', zoneId: 'nope' }, { kind: 'district', zoneId: 'sector-1' }, { kind: 'transport' }], [zone], []);
    expect(views.map((v) => v.kind)).toEqual(['city', 'district', 'transport']);
  });

  it('shows the live event before an upcoming one, and falls back on the city', () => {
    const [v] = resolveViews([{ kind: 'event' }], [], [event('next', 'before'), event('now', 'during')]);
    expect(v).toEqual({ kind: 'event', event: event('now', 'during') });
    expect(resolveViews([{ kind: 'event' }], [], [])).toEqual([{ kind: 'city' }]);
  });
});

describe('viewIndexAt', () => {
  it('moves to the next view every dwell period and wraps around', () => {
    expect([0, 29_999, 30_000, 59_999, 60_000, 90_000].map((t) => viewIndexAt(3, t, 30_000))).toEqual([0, 0, 1, 1, 2, 0]);
    expect(viewIndexAt(0, 10, 30_000)).toBe(0);
    expect(viewIndexAt(3, -5, 30_000)).toBe(0);
  });
});
