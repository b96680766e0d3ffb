import type { Zone } from '../domain/zone.ts';
import { geometryBBox, geometryContains, type BBox } from './polygon.ts';

type Entry = { zone: Zone; box: BBox };

/**
 * Finds the zones a point falls in. A uniform grid over the zones' extent holds, per cell,
 * the zones whose bounding box touches it; only those are tested by ray casting.
 */
export class ZoneIndex {
  readonly zones: readonly Zone[];
  private readonly byId = new Map<string, Entry>();
  private readonly grid: Entry[][];
  private readonly extent: BBox;
  private readonly cols: number;
  private readonly rows: number;

  constructor(zones: readonly Zone[], cellsPerSide = 64) {
    this.zones = zones;
    const entries = zones.map((zone) => ({ zone, box: geometryBBox(zone.geometry) }));
    for (const e of entries) this.byId.set(e.zone.id, e);
    this.extent = entries.reduce(
      (a, { box }) => ({
        minLon: Math.min(a.minLon, box.minLon), minLat: Math.min(a.minLat, box.minLat),
        maxLon: Math.max(a.maxLon, box.maxLon), maxLat: Math.max(a.maxLat, box.maxLat),
      }),
      { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity },
    );
    this.cols = entries.length ? cellsPerSide : 0;
    this.rows = entries.length ? cellsPerSide : 0;
    this.grid = Array.from({ length: this.cols * this.rows }, () => []);
    for (const e of entries) {
      const [c0, r0] = this.cell(e.box.minLon, e.box.minLat);
      const [c1, r1] = this.cell(e.box.maxLon, e.box.maxLat);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.grid[r * this.cols + c]!.push(e);
    }
  }

  private cell(lon: number, lat: number): [number, number] {
    const w = this.extent.maxLon - this.extent.minLon || 1;
    const h = this.extent.maxLat - this.extent.minLat || 1;
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor(((lon - this.extent.minLon) / w) * this.cols)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor(((lat - this.extent.minLat) / h) * this.rows)));
    return [c, r];
  }

  /** Ids of every zone containing the point, in the zones' order. */
  zonesAt(lat: number, lon: number): string[] {
    if (!this.cols) return [];
    const e = this.extent;
    if (lon < e.minLon || lon > e.maxLon || lat < e.minLat || lat > e.maxLat) return [];
    const [c, r] = this.cell(lon, lat);
    const out: string[] = [];
    for (const { zone, box } of this.grid[r * this.cols + c]!) {
      if (lon < box.minLon || lon > box.maxLon || lat < box.minLat || lat > box.maxLat) continue;
      if (geometryContains(zone.geometry, lon, lat)) out.push(zone.id);
    }
    return out;
  }

  contains(zoneId: string, lat: number, lon: number): boolean {
    const e = this.byId.get(zoneId);
    if (!e) return false;
    const { box } = e;
    if (lon < box.minLon || lon > box.maxLon || lat < box.minLat || lat > box.maxLat) return false;
    return geometryContains(e.zone.geometry, lon, lat);
  }

  get(zoneId: string): Zone | undefined {
    return this.byId.get(zoneId)?.zone;
  }
}
