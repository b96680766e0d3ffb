import type { Zone } from '../domain/zone.ts';
import { BandedGeometry } from './banded-geometry.ts';
import { geometryBBox, type BBox } from './polygon.ts';

/** A zone, its bounding box, and its geometry with its edges filed by fine row (see `BandedGeometry`). */
type Entry = { zone: Zone; box: BBox; shape: BandedGeometry };

/** Cells per side of the fine grid that remembers the answer of cells no zone edge crosses. */
const FINE = 512;
/** Margin (degrees, ~0.1 mm) around each edge: a remembered cell is never this close to one. */
const EDGE_MARGIN = 1e-9;

/**
 * Finds the zones a point falls in. A uniform grid over the zones' extent holds, per cell,
 * the zones whose bounding box touches it; only those are tested by ray casting. A finer grid
 * marks the cells that some zone edge (outer ring or hole) comes near: in any other cell every
 * zone holds either the whole cell or none of it, so the answer found for the cell's first
 * point is remembered and serves every later point there without any ray casting.
 */
export class ZoneIndex {
  readonly zones: readonly Zone[];
  private readonly byId = new Map<string, Entry>();
  private readonly grid: Entry[][];
  private readonly extent: BBox;
  private readonly cols: number;
  private readonly rows: number;
  /** Per fine cell: 1 when an edge comes near it (always ray cast). */
  private readonly edgeCells: Uint8Array;
  /** Per fine cell without edges: 1 + the index in `answers` of the zones holding it, once asked (0: not yet). */
  private readonly interior: Int32Array;
  /** Every set of zones found so far, numbered (0: the empty set), and their numbers by their ids joined. */
  private readonly answers: (readonly string[])[] = [[]];
  private readonly answerIndex = new Map<string, number>();

  /** Whether some zone is temporary (a warning's area: `expiresAt`). */
  readonly hasTemporary: boolean;

  constructor(zones: readonly Zone[], cellsPerSide = 64) {
    this.zones = zones;
    this.hasTemporary = zones.some((z) => z.expiresAt !== undefined);
    const boxes = zones.map((zone) => ({ zone, box: geometryBBox(zone.geometry) }));
    this.extent = boxes.reduce(
      (a, { box }) => ({
        minLon: Math.min(a.minLon, box.minLon), minLat: Math.min(a.minLat, box.minLat),
        maxLon: Math.max(a.maxLon, box.maxLon), maxLat: Math.max(a.maxLat, box.maxLat),
      }),
      { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity },
    );
    const entries = boxes.map(({ zone, box }) => ({ zone, box, shape: new BandedGeometry(zone.geometry, this.fineRow) }));
    for (const e of entries) this.byId.set(e.zone.id, e);
    this.cols = entries.length ? cellsPerSide : 0;
    this.rows = entries.length ? cellsPerSide : 0;
    this.grid = Array.from({ length: this.cols * this.rows }, () => []);
    for (const e of entries) {
      const [c0, r0] = this.cell(e.box.minLon, e.box.minLat);
      const [c1, r1] = this.cell(e.box.maxLon, e.box.maxLat);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.grid[r * this.cols + c]!.push(e);
    }
    const fine = entries.length ? FINE : 0;
    this.edgeCells = new Uint8Array(fine * fine);
    this.interior = new Int32Array(fine * fine);
    for (const { zone } of entries) {
      const polys = zone.geometry.type === 'Polygon' ? [zone.geometry.coordinates] : zone.geometry.coordinates;
      for (const rings of polys) for (const ring of rings) this.markEdges(ring);
    }
  }

  private fineCell(lon: number, lat: number): [number, number] {
    const w = this.extent.maxLon - this.extent.minLon || 1;
    const c = Math.min(FINE - 1, Math.max(0, Math.floor(((lon - this.extent.minLon) / w) * FINE)));
    return [c, this.fineRow(lat)];
  }

  /** Marks every fine cell that an edge comes within EDGE_MARGIN of, row band by row band. */
  private markEdges(ring: number[][]): void {
    const { minLat } = this.extent;
    const h = this.extent.maxLat - minLat || 1;
    const m = EDGE_MARGIN;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x0, y0] = ring[i] as [number, number], [x1, y1] = ring[j] as [number, number];
      const r0 = this.fineCell(0, Math.min(y0, y1) - m)[1], r1 = this.fineCell(0, Math.max(y0, y1) + m)[1];
      for (let r = r0; r <= r1; r++) {
        let xa = Math.min(x0, x1), xb = Math.max(x0, x1);
        if (y0 !== y1 && r0 !== r1) {
          // The part of the edge within this row's band of latitudes (widened by the margin).
          const lo = r === 0 ? -Infinity : minLat + (r * h) / FINE - m;
          const hi = r === FINE - 1 ? Infinity : minLat + ((r + 1) * h) / FINE + m;
          const ta = Math.min(1, Math.max(0, (lo - y0) / (y1 - y0)));
          const tb = Math.min(1, Math.max(0, (hi - y0) / (y1 - y0)));
          const xA = x0 + ta * (x1 - x0), xB = x0 + tb * (x1 - x0);
          xa = Math.max(xa, Math.min(xA, xB));
          xb = Math.min(xb, Math.max(xA, xB));
        }
        const c0 = this.fineCell(xa - m, 0)[0], c1 = this.fineCell(xb + m, 0)[0];
        this.edgeCells.fill(1, r * FINE + c0, r * FINE + c1 + 1);
      }
    }
  }

  private cell(lon: number, lat: number): [number, number] {
    const w = this.extent.maxLon - this.extent.minLon || 1;
    const h = this.extent.maxLat - this.extent.minLat || 1;
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor(((lon - this.extent.minLon) / w) * this.cols)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor(((lat - this.extent.minLat) / h) * this.rows)));
    return [c, r];
  }

  /** Ids of every zone containing the point, in the zones' order (a new array each time). */
  zonesAt(lat: number, lon: number): string[] {
    const f = this.fineAt(lat, lon);
    if (f < 0) return [];
    if (this.edgeCells[f]) return this.rayCast(lat, lon);
    const known = this.interior[f]!;
    if (known) {
      const a = this.answers[known - 1]!;
      return a.length ? a.slice() : [];
    }
    const found = this.rayCast(lat, lon);
    this.interior[f] = this.intern(found) + 1;
    return found;
  }

  /**
   * The set of zones containing the point, as a small number: the same number for the same
   * set, for as long as this index lives (0: no zone). `zoneSet` gives its ids. Where a cell's
   * answer is remembered no list is made.
   */
  zoneSetAt(lat: number, lon: number): number {
    const f = this.fineAt(lat, lon);
    if (f < 0) return 0;
    if (this.edgeCells[f]) return this.intern(this.rayCast(lat, lon));
    const known = this.interior[f]!;
    if (known) return known - 1;
    const n = this.intern(this.rayCast(lat, lon));
    this.interior[f] = n + 1;
    return n;
  }

  /** The ids of a set `zoneSetAt` numbered, in the zones' order (shared: do not change it). */
  zoneSet(n: number): readonly string[] {
    return this.answers[n]!;
  }

  /** The fine cell of a point, or -1 outside the zones' extent. */
  private fineAt(lat: number, lon: number): number {
    if (!this.cols) return -1;
    const e = this.extent;
    if (lon < e.minLon || lon > e.maxLon || lat < e.minLat || lat > e.maxLat) return -1;
    const w = e.maxLon - e.minLon || 1;
    const fc = Math.min(FINE - 1, Math.floor(((lon - e.minLon) / w) * FINE));
    return this.fineRow(lat) * FINE + fc;
  }

  /**
   * The fine row of a latitude (clamped to the grid), never decreasing as the latitude grows:
   * the zones' edges are filed by it (see `BandedGeometry`), and a point is tested against those
   * of its own.
   */
  private readonly fineRow = (lat: number): number => {
    const e = this.extent;
    const h = e.maxLat - e.minLat || 1;
    return Math.max(0, Math.min(FINE - 1, Math.floor(((lat - e.minLat) / h) * FINE)));
  };

  /** The number of a set of zone ids (a copy is kept the first time); the empty set is 0. */
  private intern(ids: readonly string[]): number {
    if (ids.length === 0) return 0;
    const k = ids.length === 1 ? ids[0]! : ids.join('\u0000');
    let n = this.answerIndex.get(k);
    if (n === undefined) {
      n = this.answers.push(ids.slice()) - 1;
      this.answerIndex.set(k, n);
    }
    return n;
  }

  private rayCast(lat: number, lon: number): string[] {
    const [c, r] = this.cell(lon, lat);
    const out: string[] = [];
    const band = this.fineRow(lat);
    for (const { zone, box, shape } of this.grid[r * this.cols + c]!) {
      if (lon < box.minLon || lon > box.maxLon || lat < box.minLat || lat > box.maxLat) continue;
      if (shape.contains(lon, lat, band)) out.push(zone.id);
    }
    return out;
  }

  contains(zoneId: string, lat: number, lon: number): boolean {
    const e = this.byId.get(zoneId);
    if (!e) return false;
    const { box } = e;
    if (lon < box.minLon || lon > box.maxLon || lat < box.minLat || lat > box.maxLat) return false;
    return e.shape.contains(lon, lat, this.fineRow(lat));
  }

  get(zoneId: string): Zone | undefined {
    return this.byId.get(zoneId)?.zone;
  }
}
