import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ringCrossing } from './ring-crossing.ts';

const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];

describe('ringCrossing', () => {
  it('finds the first two edges of a ring that cross: a bow tie, a figure eight', () => {
    expect(ringCrossing([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toEqual([0, 2]);
    // A square whose last corner was dragged across its first edge.
    expect(ringCrossing([[0, 0], [2, 0], [2, 2], [0, 2], [1, -1], [0, 0]])).toEqual([0, 3]);
    // Written from another starting position, the same ring: found all the same.
    expect(ringCrossing([[1, 1], [1, 0], [0, 1], [0, 0], [1, 1]])).toEqual([1, 3]);
  });

  it('takes a simple ring, convex or not, in either direction', () => {
    expect(ringCrossing(square)).toBeUndefined();
    expect(ringCrossing([...square].reverse())).toBeUndefined();
    expect(ringCrossing([[0, 0], [4, 0], [4, 4], [2, 1], [0, 4], [0, 0]])).toBeUndefined(); // a notch
    expect(ringCrossing([[0, 0], [1, 0], [0, 1], [0, 0]])).toBeUndefined(); // a triangle
  });

  it('takes edges that only touch: a vertex on another edge, two edges along one line', () => {
    // Pinched: the ring comes back to touch its own first edge at (2, 0), without crossing it.
    expect(ringCrossing([[0, 0], [4, 0], [4, 2], [2, 0], [0, 2], [0, 0]])).toBeUndefined();
    // A spike along the bottom edge and back.
    expect(ringCrossing([[0, 0], [2, 0], [3, 0], [2, 0], [2, 2], [0, 2], [0, 0]])).toBeUndefined();
  });

  it('passes every ring of Marseille\'s real quartiers and arrondissements (60 000 positions) quickly', () => {
    for (const file of ['quartiers-full', 'arrondissements']) {
      const fc = JSON.parse(readFileSync(new URL(`../../../../shared/data/marseille/${file}.geojson`, import.meta.url), 'utf8')) as { features: { geometry: { type: string; coordinates: number[][][] | number[][][][] } }[] };
      for (const f of fc.features) {
        const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
        for (const rings of polygons) for (const ring of rings) expect(ringCrossing(ring)).toBeUndefined();
      }
    }
  });

  it('reads a comb of long teeth quickly (swept along the axis its edges span least), and calls a ring too intricate to check so, soon', () => {
    const comb: number[][] = [];
    for (let k = 0; k < 5000; k++) comb.push([0, k * 2], [100, k * 2], [100, k * 2 + 1], [0, k * 2 + 1]);
    comb.push([-1, 10_000], [-1, 0], [0, 0]);
    let start = performance.now();
    expect(ringCrossing(comb)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(2000); // 25 ms here; 7 s swept the other way
    const diagonal: number[][] = [];
    for (let k = 0; k < 5000; k++) diagonal.push([k, 0], [k + 1000, 1000], [k + 1000.5, 1000], [k + 0.5, 0]);
    diagonal.push(diagonal[0]!);
    start = performance.now();
    expect(ringCrossing(diagonal)).toBe('intricate');
    expect(performance.now() - start).toBeLessThan(5000); // 0.3 s here
  });

  it('reads a ring of 100 000 positions in well under a second', () => {
    const n = 100_000;
    const ring = Array.from({ length: n }, (_, i) => [Math.cos((2 * Math.PI * i) / n), Math.sin((2 * Math.PI * i) / n)]);
    ring.push(ring[0]!);
    const start = performance.now();
    expect(ringCrossing(ring)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
