import type { ZoneGeometry } from '../domain/zone.ts';
import { turnsRay } from './polygon.ts';

/**
 * One ring's edges by band of latitudes: for each band from `r0`, the edges a horizontal line
 * at a latitude of the band may cross, as (xi, yi, xj, yj) in `edges`, from `start[k]` to
 * `start[k + 1]` (in edges) for band `r0 + k`.
 */
type BandedRing = { r0: number; start: Int32Array; edges: Float64Array; merge: number };

/**
 * The most filings a ring may have beyond EDGE_FILINGS per edge: a ring of many long edges
 * (each spanning hundreds of bands) is filed under wider bands, `merge` bands in one, rather
 * than made to hold its edges hundreds of times over.
 */
const EXTRA_FILINGS = 4096;
const EDGE_FILINGS = 8;

/**
 * A zone's geometry ready for point-in-zone tests that read only the edges near the point's
 * latitude: each ring's edges are filed under the bands of latitudes they span, so that ray
 * casting from a point tests the few edges of its band (about two per ring) rather than every
 * edge of the boundary (thousands, for a quartier drawn to the metre).
 *
 * The answer is exactly `geometryContains`'s, points on an edge included: an edge a horizontal
 * ray at latitude `lat` crosses has one end above `lat` and one at or below it, so its lowest
 * and highest latitudes bracket `lat`, and (`bandOf` never decreasing) it is filed under the
 * band of `lat`; every other edge of the ring would have changed nothing; and the edges filed
 * are tested with the very same test (`turnsRay`), in the same roles.
 */
export class BandedGeometry {
  private readonly polygons: BandedRing[][];

  /** `bandOf`: the band of a latitude (an integer), never decreasing as the latitude grows (the same function gives `contains` its `band`). */
  constructor(geometry: ZoneGeometry, bandOf: (lat: number) => number) {
    const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    this.polygons = polys.map((rings) => rings.map((ring) => bandRing(ring, bandOf)));
  }

  /** How many edges it holds, counting an edge once per band it is filed under (its memory: 32 bytes each). */
  get filings(): number {
    let n = 0;
    for (const rings of this.polygons) for (const r of rings) n += r.edges.length / 4;
    return n;
  }

  /** Whether the point lies in the geometry, as `geometryContains(geometry, lon, lat)` says; `band`: `bandOf(lat)`. */
  contains(lon: number, lat: number, band: number): boolean {
    const polys = this.polygons;
    for (let p = 0; p < polys.length; p++) {
      const rings = polys[p]!;
      if (rings.length === 0 || !inRing(rings[0]!, lon, lat, band)) continue;
      let inHole = false;
      for (let h = 1; h < rings.length && !inHole; h++) inHole = inRing(rings[h]!, lon, lat, band);
      if (!inHole) return true;
    }
    return false;
  }
}

/** Ray casting on one ring, reading only the edges of the point's band (see `inRing` in polygon.ts). */
function inRing(ring: BandedRing, lon: number, lat: number, band: number): boolean {
  const k = Math.floor(band / ring.merge) - ring.r0;
  if (!(k >= 0 && k < ring.start.length - 1)) return false;
  const e = ring.edges;
  let inside = false;
  for (let i = ring.start[k]! * 4, end = ring.start[k + 1]! * 4; i < end; i += 4) {
    if (turnsRay(lon, lat, e[i]!, e[i + 1]!, e[i + 2]!, e[i + 3]!)) inside = !inside;
  }
  return inside;
}

/**
 * Files a ring's edges (vertex i and the one before it, j, as `inRing` in polygon.ts pairs them)
 * under the bands they span (merged as the budget asks: `floor(band / merge)` never decreases
 * either); flat edges, and edges with a latitude that is no number, cross no horizontal ray
 * (the crossing's longitude would be NaN) and are left out.
 */
function bandRing(ring: number[][], bandOf: (lat: number) => number): BandedRing {
  const spans: { i: number; j: number; lo: number; hi: number }[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const yi = ring[i]![1]!, yj = ring[j]![1]!;
    const lo = bandOf(Math.min(yi, yj)), hi = bandOf(Math.max(yi, yj));
    // Flat, or with a latitude that is no number: such an edge never turns a ray over.
    if (yi === yj || Number.isNaN(lo) || Number.isNaN(hi)) continue;
    spans.push({ i, j, lo, hi });
  }
  if (spans.length === 0) return { r0: 0, start: new Int32Array(1), edges: new Float64Array(0), merge: 1 };
  // Bands merged (a power of two at a time) until the filings fit the budget, or make one band.
  const budget = EDGE_FILINGS * spans.length + EXTRA_FILINGS;
  let merge = 1, r0 = Infinity, r1 = -Infinity;
  for (;;) {
    let filings = 0;
    r0 = Infinity;
    r1 = -Infinity;
    for (const s of spans) {
      filings += Math.floor(s.hi / merge) - Math.floor(s.lo / merge) + 1;
      r0 = Math.min(r0, Math.floor(s.lo / merge));
      r1 = Math.max(r1, Math.floor(s.hi / merge));
    }
    if (filings <= budget || r0 === r1 || merge >= 2 ** 30) break;
    merge *= 2;
  }
  for (const s of spans) {
    s.lo = Math.floor(s.lo / merge);
    s.hi = Math.floor(s.hi / merge);
  }
  const start = new Int32Array(r1 - r0 + 2);
  for (const s of spans) for (let r = s.lo; r <= s.hi; r++) start[r - r0 + 1]!++;
  for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
  const edges = new Float64Array(start[start.length - 1]! * 4);
  const fill = start.slice(0, -1);
  for (const s of spans) {
    const [xi, yi] = ring[s.i]! as [number, number], [xj, yj] = ring[s.j]! as [number, number];
    for (let r = s.lo; r <= s.hi; r++) {
      const at = fill[r - r0]!++ * 4;
      edges[at] = xi;
      edges[at + 1] = yi;
      edges[at + 2] = xj;
      edges[at + 3] = yj;
    }
  }
  return { r0, start, edges, merge };
}
