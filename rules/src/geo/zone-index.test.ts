import { describe, expect, it } from 'vitest';
import type { Zone } from '../domain/zone.ts';
import { ZONE_A, ZONE_B, IN_A, IN_B } from '../testing/fixtures.ts';
import { geometryBBox, geometryContains } from './polygon.ts';
import { ZoneIndex } from './zone-index.ts';

const ring = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('ZoneIndex', () => {
  it('finds the zones a point falls in', () => {
    const idx = new ZoneIndex([ZONE_A, ZONE_B]);
    expect(idx.zonesAt(IN_A.lat, IN_A.lon)).toEqual(['A']);
    expect(idx.zonesAt(IN_B.lat, IN_B.lon)).toEqual(['B']);
    expect(idx.zonesAt(44, 5)).toEqual([]);
    expect(new ZoneIndex([]).zonesAt(IN_A.lat, IN_A.lon)).toEqual([]);
  });

  it('excludes holes and includes every part of a multipolygon', () => {
    const donut: Zone = { id: 'donut', name: 'D', kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(4, 4, 6, 6)] } };
    const multi: Zone = { id: 'multi', name: 'M', kind: 'k', tags: [], geometry: { type: 'MultiPolygon', coordinates: [[ring(20, 0, 21, 1)], [ring(30, 0, 31, 1)]] } };
    const idx = new ZoneIndex([donut, multi]);
    expect(idx.zonesAt(1, 1)).toEqual(['donut']);
    expect(idx.zonesAt(5, 5)).toEqual([]);
    expect(idx.zonesAt(0.5, 20.5)).toEqual(['multi']);
    expect(idx.zonesAt(0.5, 30.5)).toEqual(['multi']);
    expect(idx.zonesAt(0.5, 25)).toEqual([]);
    expect(idx.contains('multi', 0.5, 30.5)).toBe(true);
    expect(idx.contains('nope', 0.5, 30.5)).toBe(false);
  });

  it('agrees with the real Marseille quartiers on known places', async () => {
    const { readFile } = await import('node:fs/promises');
    const url = new URL('../../../../shared/data/marseille/arrondissements.geojson', import.meta.url);
    const fc = JSON.parse(await readFile(url, 'utf8')) as { features: { properties: { id: string; name: string }; geometry: Zone['geometry'] }[] };
    const idx = new ZoneIndex(fc.features.map((f) => ({ id: String(f.properties.id), name: f.properties.name, kind: 'arrondissement', tags: [], geometry: f.geometry })));
    expect(idx.zonesAt(43.3027, 5.3806)).toEqual(['13201']); // Gare Saint-Charles
    expect(idx.zonesAt(43.2969, 5.3612)).toEqual(['13202']); // Mucem
  });
});

describe('ZoneIndex remembered cells', () => {
  it('gives the same zones as ray casting every zone, point by point, on the real quartiers', async () => {
    const { readFile } = await import('node:fs/promises');
    const url = new URL('../../../../shared/data/marseille/quartiers.geojson', import.meta.url);
    const fc = JSON.parse(await readFile(url, 'utf8')) as { features: { properties: { id: string; name: string }; geometry: Zone['geometry'] }[] };
    const zones: Zone[] = fc.features.map((f) => ({ id: String(f.properties.id), name: f.properties.name, kind: 'quartier', tags: [], geometry: f.geometry }));
    const idx = new ZoneIndex(zones);
    let seed = 1;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 20_000; i++) {
      // twice per point: the first fills the remembered cell, the second reads it
      const lat = 43.15 + rnd() * 0.25, lon = 5.2 + rnd() * 0.35;
      const want = zones.filter((z) => geometryContains(z.geometry, lon, lat)).map((z) => z.id);
      expect(idx.zonesAt(lat, lon)).toEqual(want);
      expect(idx.zonesAt(lat, lon)).toEqual(want);
    }
    // on the boundaries of its bands of latitudes (the 512 fine rows of the zones' extent, where
    // each edge is filed: see BandedGeometry), and a floating-point step either side, and on
    // vertices' own latitudes
    const box = zones.map((z) => geometryBBox(z.geometry)).reduce((a, b) => ({ minLat: Math.min(a.minLat, b.minLat), maxLat: Math.max(a.maxLat, b.maxLat), minLon: Math.min(a.minLon, b.minLon), maxLon: Math.max(a.maxLon, b.maxLon) }));
    const h = box.maxLat - box.minLat;
    const lats: number[] = [];
    for (let k = 0; k <= 512; k += 3) {
      const lat = box.minLat + (k / 512) * h;
      lats.push(lat, lat + Number.EPSILON * 64, lat - Number.EPSILON * 64);
    }
    for (const z of zones.slice(0, 30)) for (const [, lat] of (z.geometry.type === 'Polygon' ? z.geometry.coordinates[0] : z.geometry.coordinates[0]![0])!.slice(0, 20)) lats.push(lat!);
    for (const lat of lats) {
      for (let i = 0; i < 12; i++) {
        const lon = box.minLon + rnd() * (box.maxLon - box.minLon);
        const want = zones.filter((z) => geometryContains(z.geometry, lon, lat)).map((z) => z.id);
        expect(idx.zonesAt(lat, lon)).toEqual(want);
      }
    }
    // vertices themselves and points a hair away from them
    for (const z of zones.slice(0, 20)) {
      const ring = (z.geometry.type === 'Polygon' ? z.geometry.coordinates[0] : z.geometry.coordinates[0]![0])!;
      for (const [lon, lat] of ring.slice(0, 10)) {
        for (const d of [0, 1e-7, -1e-7]) {
          const want = zones.filter((x) => geometryContains(x.geometry, lon! + d, lat! - d)).map((x) => x.id);
          expect(idx.zonesAt(lat! - d, lon! + d)).toEqual(want);
        }
      }
    }
  });

  it('agrees with ray casting next to the edges of thin, slanted and flat polygons', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const star = (id: string, cx: number, cy: number, r: number, n: number): Zone => {
      const pts: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n, rr = r * (0.2 + rnd());
        pts.push([cx + rr * Math.cos(a), i % 5 === 0 ? cy : cy + rr * Math.sin(a)]);
      }
      pts.push(pts[0]!);
      return { id, name: id, kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [pts] } };
    };
    const sliver: Zone = { id: 'sliver', name: 's', kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0.7], [1, 0.7001], [0, 0.0001], [0, 0]]] } };
    const zones = [star('s1', 0.3, 0.3, 0.25, 40), star('s2', 0.6, 0.5, 0.3, 25), star('s3', 0.5, 0.5, 0.05, 12), sliver];
    const idx = new ZoneIndex(zones);
    const brute = (lat: number, lon: number) => zones.filter((z) => geometryContains(z.geometry, lon, lat)).map((z) => z.id);
    for (const z of zones) {
      const ring = z.geometry.coordinates[0] as number[][];
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i]!, [bx, by] = ring[i + 1]!;
        for (let k = 0; k < 20; k++) {
          const t = rnd(), d = (rnd() - 0.5) * 10 ** -(3 + Math.floor(rnd() * 8));
          const lon = ax! + t * (bx! - ax!) + d, lat = ay! + t * (by! - ay!) - d;
          expect(idx.zonesAt(lat, lon), `${lat},${lon}`).toEqual(brute(lat, lon));
          expect(idx.zonesAt(lat, lon), `${lat},${lon}`).toEqual(brute(lat, lon));
        }
      }
    }
    for (let i = 0; i < 20_000; i++) {
      const lat = rnd(), lon = rnd();
      expect(idx.zonesAt(lat, lon)).toEqual(brute(lat, lon));
    }
  });

  it('hands out a fresh array each time', () => {
    const idx = new ZoneIndex([ZONE_A, ZONE_B]);
    const a = idx.zonesAt(IN_A.lat, IN_A.lon);
    a.push('X');
    expect(idx.zonesAt(IN_A.lat, IN_A.lon)).toEqual(['A']);
  });

  it('remembers nothing wrong inside a hole', () => {
    const donut: Zone = { id: 'donut', name: 'D', kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(4, 4, 6, 6)] } };
    const idx = new ZoneIndex([donut]);
    for (let x = 0.01; x < 10; x += 0.37) for (let y = 0.01; y < 10; y += 0.41) {
      const inHole = x > 4 && x < 6 && y > 4 && y < 6;
      expect(idx.zonesAt(y, x)).toEqual(inHole ? [] : ['donut']);
      expect(idx.zonesAt(y, x)).toEqual(inHole ? [] : ['donut']);
    }
  });

  it('numbers each set of zones once: zoneSet(zoneSetAt(p)) is zonesAt(p), 0 outside every zone', () => {
    // Overlapping squares: points in A only, in both, in B only, in none; edges and interiors alike.
    const a: Zone = { id: 'a', name: 'A', kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [ring(0, 0, 10, 10)] } };
    const b: Zone = { id: 'b', name: 'B', kind: 'k', tags: [], geometry: { type: 'Polygon', coordinates: [ring(5, 5, 15, 15)] } };
    const idx = new ZoneIndex([a, b]);
    const byKey = new Map<string, number>();
    let seed = 3;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 5000; i++) {
      const lat = -1 + rnd() * 17, lon = -1 + rnd() * 17;
      const want = idx.zonesAt(lat, lon);
      const n = idx.zoneSetAt(lat, lon);
      expect(idx.zoneSet(n)).toEqual(want);
      expect(idx.zoneSetAt(lat, lon)).toBe(n); // asked again (the cell remembered): the same number
      const k = want.join(',');
      if (!byKey.has(k)) byKey.set(k, n);
      expect(n).toBe(byKey.get(k));
    }
    expect([...byKey.keys()].sort()).toEqual(['', 'a', 'a,b', 'b']);
    expect(byKey.get('')).toBe(0);
    expect(idx.zoneSetAt(50, 50)).toBe(0);
    expect(new ZoneIndex([]).zoneSetAt(1, 1)).toBe(0);
    expect(idx.zoneSet(0)).toEqual([]);
  });
});
