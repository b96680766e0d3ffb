import { describe, expect, it } from 'vitest';
import type { Zone } from '../domain/zone.ts';
import { ZONE_A, ZONE_B, IN_A, IN_B } from '../testing/fixtures.ts';
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
