import { cellToBoundary, cellToLatLng, getPentagons, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { CellFinder } from './h3-cells.ts';

let seed = 7;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

/** Points around a position: `n` of them within about `spread` degrees. */
const around = (lat: number, lon: number, spread: number, n: number) =>
  Array.from({ length: n }, () => [lat + (rnd() - 0.5) * spread, lon + (rnd() - 0.5) * spread] as const);

describe('CellFinder', () => {
  it('places every point in the cell h3-js gives, at even and odd resolutions, mostly from the hexagons met', () => {
    for (const [res, spread] of [[7, 0.1], [8, 0.1], [9, 0.1], [11, 0.005]] as const) {
      const finder = new CellFinder(res);
      const points = around(43.3, 5.38, spread, 20_000);
      for (const [lat, lon] of points) expect(finder.cellAt(lat, lon)).toBe(latLngToCell(lat, lon, res));
      // The second pass over the same area meets only hexagons it already knows.
      const before = finder.stats.computed;
      for (const [lat, lon] of around(43.3, 5.38, spread, 5000)) expect(finder.cellAt(lat, lon)).toBe(latLngToCell(lat, lon, res));
      expect(finder.stats.computed - before).toBeLessThan(50);
      expect(finder.stats.remembered).toBeGreaterThan(4900);
    }
  });

  it('agrees with h3-js on the very edges and corners of the cells', () => {
    const finder = new CellFinder(8);
    const cells = gridDisk(latLngToCell(43.3, 5.38, 8), 3);
    for (const c of cells) finder.cellAt(...cellToLatLng(c)); // every hexagon remembered
    for (const c of cells) {
      const ring = cellToBoundary(c);
      for (let i = 0; i < ring.length; i++) {
        const [aLat, aLon] = ring[i]!, [bLat, bLon] = ring[(i + 1) % ring.length]!;
        for (const f of [0, 1e-12, 0.25, 0.5, 0.999_999_999]) {
          const lat = aLat + (bLat - aLat) * f, lon = aLon + (bLon - aLon) * f;
          expect(finder.cellAt(lat, lon)).toBe(latLngToCell(lat, lon, 8));
        }
      }
    }
  });

  it('agrees with h3-js around pentagons, across the antimeridian and near the poles, where it remembers nothing it cannot test', () => {
    for (const res of [2, 5]) {
      const finder = new CellFinder(res);
      const places: [number, number][] = [...getPentagons(res).map((p) => cellToLatLng(p)), [0, 180], [10, -179.99], [89.9, 0], [-89.9, 45]];
      for (const [lat, lon] of places) {
        for (const [a, b] of around(lat, lon, res === 2 ? 10 : 1, 400)) {
          const pLat = Math.max(-90, Math.min(90, a)), pLon = ((b + 540) % 360) - 180;
          expect(finder.cellAt(pLat, pLon)).toBe(latLngToCell(pLat, pLon, res));
        }
      }
    }
  });

  it('leaves hexagons near a pole to h3-js (one would span thousands of squares of longitude)', () => {
    const finder = new CellFinder(15);
    const points = around(89.9999, 30, 0.00002, 20);
    for (const [lat, lon] of [...points, ...points]) expect(finder.cellAt(lat, lon)).toBe(latLngToCell(lat, lon, 15));
    expect(finder.stats).toEqual({ remembered: 0, computed: 40 });
  });

  it('forgets what it remembered past its bound, and goes on answering right', () => {
    const finder = new CellFinder(9, 20);
    for (const [lat, lon] of around(43.3, 5.38, 0.2, 5000)) expect(finder.cellAt(lat, lon)).toBe(latLngToCell(lat, lon, 9));
  });

  it('refuses a position that is not one, as h3-js does', () => {
    const finder = new CellFinder(8);
    finder.cellAt(43.3, 5.38);
    expect(() => finder.cellAt(Number.NaN, 5.38)).toThrow();
    expect(() => finder.cellAt(43.3, Number.NaN)).toThrow();
  });
});
