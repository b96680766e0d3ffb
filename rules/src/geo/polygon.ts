import type { ZoneGeometry } from '../domain/zone.ts';

export type BBox = { minLon: number; minLat: number; maxLon: number; maxLat: number };

type Ring = number[][];

/**
 * Whether the ray from (lon, lat) towards growing longitudes crosses the edge from vertex j
 * (xj, yj) to vertex i (xi, yi): one end above `lat`, the other at or below, and the crossing
 * east of the point. The one test every point-in-zone answer is made of (see `BandedGeometry`).
 */
export function turnsRay(lon: number, lat: number, xi: number, yi: number, xj: number, yj: number): boolean {
  return yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi;
}

/** Ray casting on one ring ([lon, lat] positions). Points on an edge may fall either side. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    if (turnsRay(lon, lat, ring[i]![0]!, ring[i]![1]!, ring[j]![0]!, ring[j]![1]!)) inside = !inside;
  }
  return inside;
}

/** A polygon is its outer ring minus its holes. */
function inPolygon(lon: number, lat: number, rings: Ring[]): boolean {
  if (rings.length === 0 || !inRing(lon, lat, rings[0]!)) return false;
  for (let h = 1; h < rings.length; h++) if (inRing(lon, lat, rings[h]!)) return false;
  return true;
}

export function geometryContains(g: ZoneGeometry, lon: number, lat: number): boolean {
  if (g.type === 'Polygon') return inPolygon(lon, lat, g.coordinates);
  return g.coordinates.some((p) => inPolygon(lon, lat, p));
}

export function geometryBBox(g: ZoneGeometry): BBox {
  const box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) {
    for (const [lon, lat] of poly[0]!) {
      if (lon! < box.minLon) box.minLon = lon!;
      if (lon! > box.maxLon) box.maxLon = lon!;
      if (lat! < box.minLat) box.minLat = lat!;
      if (lat! > box.maxLat) box.maxLat = lat!;
    }
  }
  return box;
}

/** Centroid of the outer ring's vertices of the largest part: good enough for a label. */
export function geometryLabelPoint(g: ZoneGeometry): { lat: number; lon: number } {
  const b = geometryBBox(g);
  return { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 };
}
