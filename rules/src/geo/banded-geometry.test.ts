import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ZoneGeometry } from '../domain/zone.ts';
import { BandedGeometry } from './banded-geometry.ts';
import { geometryContains } from './polygon.ts';

type Feature = { properties: { id: string }; geometry: ZoneGeometry };
const quartiers = (JSON.parse(readFileSync(new URL('../../../../shared/data/marseille/quartiers.geojson', import.meta.url), 'utf8')) as { features: Feature[] }).features;

const ring = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const shapes: Record<string, ZoneGeometry> = {
  donut: { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(4, 4, 6, 6)] },
  multi: { type: 'MultiPolygon', coordinates: [[ring(0, 0, 1, 1)], [ring(3, 0, 4, 1), ring(3.2, 0.2, 3.8, 0.8)]] },
  // parts that overlap, a ring drawn across itself, a ring with repeated and collinear positions, rings too short to hold anything
  overlapping: { type: 'MultiPolygon', coordinates: [[ring(0, 0, 6, 6)], [ring(3, 3, 9, 9)]] },
  bowtie: { type: 'Polygon', coordinates: [[[0, 0], [4, 4], [4, 0], [0, 4], [0, 0]]] },
  repeated: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 0], [4, 0], [4, 2], [4, 4], [2, 2], [2, 2], [0, 4], [0, 0]]] },
  tiny: { type: 'MultiPolygon', coordinates: [[[[1, 1]]], [[]], [[[0, 0], [1, 1]]]] },
  empty: { type: 'Polygon', coordinates: [] },
  // a position with no number for its latitude (a zone not checked on its way in): its edges turn no ray over
  nan: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, NaN], [4, 4], [0, 4], [0, 0]]] },
  // 600 edges each spanning the whole height: filed under merged bands
  zigzag: { type: 'Polygon', coordinates: [[...Array.from({ length: 600 }, (_, i): [number, number] => [i / 100, i % 2 ? 10 : 0]), [6, -1], [0, -1], [0, 0]]] },
};

/** The box of every position of a geometry, holes and odd rings included (a unit box when it has none). */
function box(g: ZoneGeometry) {
  const ps = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (ps.length === 0) return { minLon: 0, minLat: 0, maxLon: 1, maxLat: 1 };
  return { minLon: Math.min(...ps.map((p) => p[0]!)), minLat: Math.min(...ps.map((p) => p[1]!)), maxLon: Math.max(...ps.map((p) => p[0]!)), maxLat: Math.max(...ps.map((p) => p[1]!)) };
}

/** Bands as the zone index makes them (fine rows of the geometry's box), and coarser ones, down to a single band. */
function bandings(g: ZoneGeometry): ((lat: number) => number)[] {
  const b = box(g);
  const h = b.maxLat - b.minLat || 1;
  const rows = (n: number) => (lat: number) => Math.max(0, Math.min(n - 1, Math.floor(((lat - b.minLat) / h) * n)));
  return [rows(512), rows(7), () => 0];
}

/** Points to try: at random over and around the box, and on the boundary itself (positions, edges' midpoints, their latitudes with other longitudes). */
function points(g: ZoneGeometry, n: number, seed: number): [number, number][] {
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const b = box(g);
  const w = Math.max(b.maxLon - b.minLon, 1e-6), h = Math.max(b.maxLat - b.minLat, 1e-6);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([b.minLon - 0.1 * w + rnd() * 1.2 * w, b.minLat - 0.1 * h + rnd() * 1.2 * h]);
  const positions = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat().flatMap((r) => r.map((p, i) => [p, r[(i + 1) % r.length]!] as const));
  for (const [p, q] of positions.filter((_, i) => i % Math.ceil(positions.length / n) === 0)) {
    out.push([p[0]!, p[1]!], [(p[0]! + q[0]!) / 2, (p[1]! + q[1]!) / 2], [b.minLon + rnd() * w, p[1]!]);
  }
  return out;
}

describe('BandedGeometry', () => {
  it('says exactly what ray casting over every edge says, on edges and positions too, for holes, parts and odd rings', () => {
    for (const [name, g] of Object.entries(shapes)) {
      for (const bandOf of bandings(g)) {
        const shape = new BandedGeometry(g, bandOf);
        for (const [lon, lat] of points(g, 2000, 7).filter(([x, y]) => !Number.isNaN(x) && !Number.isNaN(y))) {
          if (shape.contains(lon, lat, bandOf(lat)) !== geometryContains(g, lon, lat)) expect.fail(`${name}: (${lon}, ${lat})`);
        }
      }
    }
  });

  it('files a ring of many long edges under merged bands: its memory stays within the budget', () => {
    const g = shapes.zigzag!;
    const [fine] = bandings(g);
    const shape = new BandedGeometry(g, fine!);
    expect(shape.filings).toBeLessThanOrEqual(8 * 603 + 4096);
    expect(shape.filings).toBeGreaterThan(603); // still split: not one band
    // a plain ring keeps the fine bands: each edge is filed under the few it spans
    const square = new BandedGeometry(shapes.donut!, fine!);
    expect(square.filings).toBeLessThanOrEqual(2 * 512 + 2 * 103);
  });

  it('says the same as ray casting over every edge for each of Marseille\u2019s quartiers', () => {
    let inside = 0, tried = 0;
    for (const { properties, geometry } of quartiers) {
      const [bandOf] = bandings(geometry);
      const shape = new BandedGeometry(geometry, bandOf!);
      for (const [lon, lat] of points(geometry, 300, 11)) {
        const want = geometryContains(geometry, lon, lat);
        if (shape.contains(lon, lat, bandOf!(lat)) !== want) expect.fail(`${properties.id}: (${lon}, ${lat})`);
        tried++;
        if (want) inside++;
      }
    }
    // both answers were met often: the comparison means something
    expect(inside).toBeGreaterThan(tried / 5);
    expect(tried - inside).toBeGreaterThan(tried / 5);
  });
});
