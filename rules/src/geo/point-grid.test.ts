import { describe, expect, it } from 'vitest';
import { cosLat, distanceMeters } from './distance.ts';
import { PointGrid } from './point-grid.ts';

type Item = { id: number; t: number; location: { lat: number; lon: number } };

/**
 * A grid of items by number, as a co-occurrence rule keeps them: the number is the item's place
 * in `items`, and a number dropped is given again to a later item. An item found in a cell
 * has, in the grid's numbers, its own time, position and cos(latitude).
 */
function itemGrid(cellMeters: number) {
  const grid = new PointGrid(cellMeters);
  const items: Item[] = [];
  const free: number[] = [];
  return {
    grid,
    add: (item: Item) => {
      const n = free.pop() ?? items.length;
      items[n] = item;
      return grid.add(n, item.location.lat, item.location.lon, item.t);
    },
    dropOldest: (cell: number, expired: (x: Item) => boolean, dropped: (x: Item) => void) => grid.dropOldest(cell, (n) => expired(items[n]!), (n) => {
      dropped(items[n]!);
      free.push(n);
    }),
    cellItems: (row: number, col: number) => grid.cellItems(row, col).map((n) => {
      const x = items[n]!, at = grid.position(n);
      expect([grid.t(n), grid.items[at], grid.items[at + 1], grid.items[at + 2]]).toEqual([x.t, x.location.lat, x.location.lon, cosLat(x.location.lat)]);
      return x;
    }),
    all: () => grid.all().map((n) => items[n]!),
  };
}

/** `nonEmptyAround` gives the records of the 3 × 3 cells around (i, j) that `cellAt` finds holding items, in its order, and their items' count. */
function expectAround(grid: PointGrid, i: number, j: number) {
  const want: number[] = [];
  let held = 0;
  for (let di = -1; di <= 1; di++) {
    for (let dj = -1; dj <= 1; dj++) {
      const rec = grid.cellAt(i + di, j + dj);
      if (rec >= 0 && grid.countOf(rec) > 0) {
        want.push(rec);
        held += grid.countOf(rec);
      }
    }
  }
  const into = [-7, -7];
  const n = grid.nonEmptyAround(i, j, into);
  expect([into.slice(0, n), grid.heldAround]).toEqual([want, held]);
}

describe('PointGrid', () => {
  it('finds exactly the items within the distance, in and far outside its dense square, while items come and go', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const g = itemGrid(300), grid = g.grid;
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
      keys.push(g.add(item));
      live.push(item);
      if (t % 50 === 0) {
        // expire everything older than 1000: each item dropped is told once
        const dropped: number[] = [];
        for (const k of new Set(keys)) g.dropOldest(k, (x) => t - x.t >= 1000, (x) => dropped.push(x.id));
        expect(dropped.sort((a, b) => a - b)).toEqual(live.filter((x) => t - x.t >= 1000).map((x) => x.id));
        live.splice(0, live.length, ...live.filter((x) => t - x.t < 1000));
      }
      if (t % 7 === 0) {
        const at = place();
        const want = live.filter((x) => distanceMeters(at, x.location) <= 300).map((x) => x.id).sort((a, b) => a - b);
        const i = grid.row(at.lat), j = grid.col(at.lon);
        const viaCells: number[] = [];
        for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) for (const x of g.cellItems(i + di, j + dj)) if (distanceMeters(at, x.location) <= 300) viaCells.push(x.id);
        expect(viaCells.sort((a, b) => a - b)).toEqual(want);
        expectAround(grid, i, j);
        expectAround(grid, grid.row(43.28 + (t % 3) * 0.07), grid.col(5.35 + (t % 5) * 0.1)); // also off the items' places
      }
    }
    expect(grid.size).toBe(live.length);
  });

  it('lists every item by time, then position (items alike in the order added), whatever the cells went through; a grid rebuilt from the list lists them alike', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const g = itemGrid(300), grid = g.grid;
    const live: Item[] = [];
    const place = () => {
      const r = rnd();
      if (r < 0.8) return { lat: 43.28 + rnd() * 0.05, lon: 5.35 + rnd() * 0.05 };
      if (r < 0.9) return { lat: 43.3, lon: 5.4 }; // one place again and again
      return { lat: 45 + rnd() * 0.02, lon: 2 + rnd() * 0.02 }; // outside the dense square
    };
    const far = { id: -1, t: 0, location: { lat: 45.01, lon: 2.01 } }; // before the dense square exists
    const keys = new Set([g.add(far)]);
    live.push(far);
    const byTimeThenPlace = (a: Item, b: Item) => a.t - b.t || a.location.lat - b.location.lat || a.location.lon - b.location.lon;
    for (let n = 1; n < 3000; n++) {
      const item = { id: n, t: Math.floor(n / 3), location: place() }; // three items per time
      keys.add(g.add(item));
      live.push(item);
      if (n % 40 === 0) {
        const now = item.t;
        for (const key of keys) g.dropOldest(key, (x) => now - x.t >= 100, () => {});
        live.splice(0, live.length, ...live.filter((x) => now - x.t < 100));
        const listed = g.all();
        expect(listed.map((x) => x.id)).toEqual([...live].sort(byTimeThenPlace).map((x) => x.id));
        const again = itemGrid(300);
        for (const x of listed) again.add(x);
        expect(again.all().map((x) => x.id)).toEqual(listed.map((x) => x.id));
        expect(grid.size).toBe(live.length);
      }
    }
  });

  it('finds the cells around a point that hold items, inside its dense square, on its edges and outside it', () => {
    const g = new PointGrid(300);
    g.add(0, 43.3, 5.4);
    const i0 = g.row(43.3) - 32, j0 = g.col(5.4) - 32; // the dense square is 64 cells from (i0, j0)
    const dLat = 300 / 111_320, dLon = 300 / (111_320 * Math.cos((43.3 * Math.PI) / 180));
    let n = 1;
    // items on the square's first and last rows and columns, just outside it, and far away
    for (const [i, j] of [[0, 0], [0, 63], [63, 0], [63, 63], [-1, 5], [64, 5], [5, -1], [5, 64], [31, 31], [1, 1], [62, 62], [900, 900]] as const) {
      for (let k = 0; k < 1 + (n % 3); k++) g.add(n++, (i0 + i + 0.5) * dLat, (j0 + j + 0.5) * dLon);
    }
    for (let i = -3; i <= 66; i++) for (let j = -3; j <= 66; j++) expectAround(g, i0 + i, j0 + j);
    expectAround(g, i0 + 900, j0 + 900);
    expect(g.nonEmptyAround(i0 + 900, j0 + 900, [])).toBe(1);
    expect(g.heldAround).toBeGreaterThan(0);
  });

  it('finds items whose cells lie 2^15 cells from the dense square, where cell keys wrap onto its cells', () => {
    const g = new PointGrid(100);
    g.add(0, 43.3, 5.4);
    // the same row, 32 768 columns east (about 3 300 km at 100 m a cell): its key is the first item's
    const dLon = 100 / (111_320 * Math.cos((43.3 * Math.PI) / 180));
    const far = (g.col(5.4) + 32_768 + 0.5) * dLon;
    expect(g.col(far)).toBe(g.col(5.4) + 32_768);
    g.add(1, 43.3, far);
    g.add(2, 43.3, far);
    // looked up from either place, the cell holds the three (a neighbour search then measures the distances)
    expect(g.cellItems(g.row(43.3), g.col(far))).toEqual([0, 1, 2]);
    expect(g.cellItems(g.row(43.3), g.col(5.4))).toEqual([0, 1, 2]);
    g.dropOldest(g.add(3, 43.3, far), (n) => n < 2, () => {});
    expect(g.cellItems(g.row(43.3), g.col(far))).toEqual([2, 3]);
    expect(g.size).toBe(2);
  });

  it('holds no cells before its first item (a rule that never sees an event keeps no grid), and answers as empty', () => {
    const before = process.memoryUsage().arrayBuffers;
    const idle = Array.from({ length: 200 }, () => new PointGrid(300));
    // some 80 kB each once holding an item: 16 MB for these 200
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2_000_000);
    const g = idle[0]!;
    expect([g.cellAt(g.row(43.3), g.col(5.4)), g.cellItems(g.row(43.3), g.col(5.4)), g.all(), g.size]).toEqual([-1, [], [], 0]);
    g.dropOldest(12_345, () => true, () => { throw new Error('nothing to drop'); });
    g.add(0, Number.NaN, 5.4); // a first item with no row: its cell lies outside any square
    g.add(1, 43.3, 5.4);
    expect([g.all().sort(), g.size]).toEqual([[0, 1], 2]);
    expect(g.cellItems(g.row(43.3), g.col(5.4))).toEqual([1]);
  });
});
