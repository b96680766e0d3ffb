import { describe, expect, it } from 'vitest';
import { distanceMeters } from './distance.ts';
import { PointGrid } from './point-grid.ts';

type Item = { id: number; t: number; location: { lat: number; lon: number } };

describe('PointGrid', () => {
  it('finds exactly the items within the distance, in and far outside its dense square, while items come and go', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const grid = new PointGrid<Item>(300);
    const live: Item[] = [];
    const keys: number[] = [];
    // mostly around Marseille, some hundreds of kilometres away (outside the dense square), some at the antipodes of the key space
    const place = () => {
      const r = rnd();
      if (r < 0.8) return { lat: 43.28 + rnd() * 0.1, lon: 5.35 + rnd() * 0.1 };
      if (r < 0.95) return { lat: 45 + rnd() * 0.05, lon: 2 + rnd() * 0.05 };
      return { lat: -43.28 - rnd() * 0.1, lon: -174.65 - rnd() * 0.1 };
    };
    for (let t = 0; t < 6000; t++) {
      const item = { id: t, t, location: place() };
      keys.push(grid.add(item));
      live.push(item);
      if (t % 50 === 0) {
        // expire everything older than 1000
        for (const k of new Set(keys)) grid.dropOldest(k, (x) => t - x.t >= 1000);
        live.splice(0, live.length, ...live.filter((x) => t - x.t < 1000));
      }
      if (t % 7 === 0) {
        const at = place();
        const want = live.filter((x) => distanceMeters(at, x.location) <= 300).map((x) => x.id).sort((a, b) => a - b);
        const gotNear = grid.near(at, 300).map((x) => x.id).sort((a, b) => a - b);
        const i = grid.row(at.lat), j = grid.col(at.lon);
        const viaCells: number[] = [];
        for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) for (const x of grid.cellItems(i + di, j + dj) ?? []) if (distanceMeters(at, x.location) <= 300) viaCells.push(x.id);
        expect(gotNear).toEqual(want);
        expect(viaCells.sort((a, b) => a - b)).toEqual(want);
      }
    }
    expect(grid.size).toBe(live.length);
  });
});
