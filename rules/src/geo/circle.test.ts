import { describe, expect, it } from 'vitest';
import { circlePerimeter, perimeterRadius } from './circle.ts';
import { distanceMeters } from './distance.ts';

const velodrome = { lat: 43.2699, lon: 5.3959 };

describe('a perimeter drawn around a venue', () => {
  it('is a closed ring of points at the radius', () => {
    const p = circlePerimeter(velodrome, 600);
    const ring = p.coordinates[0]!;
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const [lon, lat] of ring) expect(Math.abs(distanceMeters(velodrome, { lat: lat!, lon: lon! }) - 600)).toBeLessThan(1);
  });

  it('gives its radius back, whole metres, for a circle and for a drawn polygon (its farthest corner)', () => {
    for (const r of [50, 400, 800, 2500]) expect(perimeterRadius(velodrome, circlePerimeter(velodrome, r))).toBe(r);
    const ring: [number, number][] = [[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]];
    const square = { type: 'Polygon' as const, coordinates: [ring] };
    const corner = Math.round(Math.max(...ring.map(([lon, lat]) => distanceMeters(velodrome, { lat, lon }))));
    expect(perimeterRadius(velodrome, square)).toBe(corner);
    expect(perimeterRadius(velodrome, { type: 'MultiPolygon', coordinates: [square.coordinates] })).toBe(corner);
  });
});
