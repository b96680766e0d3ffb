import { describe, expect, it } from 'vitest';
import { layoutBars, niceMax } from './day-chart.ts';

describe('the per-day chart', () => {
  it('tops the scale at a round number', () => {
    expect([0, 3, 7, 12, 180, 1001].map(niceMax)).toEqual([1, 3, 10, 20, 200, 2000]);
  });

  it('lays bars side by side, heights in proportion, on a common baseline', () => {
    const { bars, max } = layoutBars([{ day: 'a', count: 5 }, { day: 'b', count: 10 }, { day: 'c', count: 0 }], 340, 146, { left: 40, bottom: 28, top: 18 });
    expect(max).toBe(10);
    expect(bars.map((b) => Math.round(b.h))).toEqual([50, 100, 0]);
    expect(bars.map((b) => Math.round(b.y + b.h))).toEqual([118, 118, 118]);
    expect(bars[1]!.x - bars[0]!.x).toBeCloseTo(100);
  });
});
