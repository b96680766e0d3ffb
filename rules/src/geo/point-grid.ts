import type { Location } from '../domain/event.ts';
import { distanceMeters } from './distance.ts';

const M_PER_DEG_LAT = 111_320;
/** Side, in cells, of the square around the first item whose lists are also kept in a plain array. */
const DENSE = 64;

/**
 * Items indexed by position in square cells about `cellMeters` wide: the items within
 * `cellMeters` of a point are among those of its cell and the eight around it.
 */
export class PointGrid<T extends { location: Location }> {
  private cells = new Map<number, T[]>();
  /**
   * The lists of the DENSE × DENSE cells around the first item, by position: a lookup there is
   * an array read, not a hash. Always the very list the map holds under the cell's key.
   */
  private dense?: (T[] | undefined)[];
  private i0 = 0;
  private j0 = 0;
  private readonly dLat: number;
  private readonly dLon: number;

  constructor(cellMeters: number, refLat = 43.3) {
    this.dLat = cellMeters / M_PER_DEG_LAT;
    this.dLon = cellMeters / (M_PER_DEG_LAT * Math.cos((refLat * Math.PI) / 180));
  }

  /**
   * A small integer per cell (a V8 small integer: no number to allocate, the fastest map key):
   * rows and columns are taken modulo 2^15, so two cells share a list only when thousands of
   * kilometres apart, where no item is ever near the other's; lists stay in insertion order.
   */
  private key(i: number, j: number) {
    return (i & 0x7fff) * 32_768 + (j & 0x7fff);
  }

  /** The dense slot of a map key, or -1 when its cell lies outside the dense square. */
  private slotOf(k: number): number {
    if (!this.dense) return -1;
    const di = (Math.floor(k / 32_768) - (this.i0 & 0x7fff)) & 0x7fff;
    const dj = ((k % 32_768) - (this.j0 & 0x7fff)) & 0x7fff;
    return di < DENSE && dj < DENSE ? di * DENSE + dj : -1;
  }

  /** Adds an item; returns its cell's key (for `dropOldest`). */
  add(item: T): number {
    const i = Math.floor(item.location.lat / this.dLat), j = Math.floor(item.location.lon / this.dLon);
    if (!this.dense && Number.isFinite(i) && Number.isFinite(j)) {
      this.dense = new Array<T[] | undefined>(DENSE * DENSE).fill(undefined);
      this.i0 = i - DENSE / 2;
      this.j0 = j - DENSE / 2;
      for (const [k, l] of this.cells) {
        const slot = this.slotOf(k);
        if (slot >= 0) this.dense[slot] = l;
      }
    }
    const k = this.key(i, j);
    // In the dense square the list is read there (it is the map's very list): no hash lookup.
    const slot = this.slotOf(k);
    const list = slot >= 0 ? this.dense![slot] : this.cells.get(k);
    if (list) list.push(item);
    else {
      const fresh = [item];
      this.cells.set(k, fresh);
      if (slot >= 0) this.dense![slot] = fresh;
    }
    return k;
  }

  /** Drops, from the front of a cell (items added in time order), those `expired` says yes to. */
  dropOldest(cell: number, expired: (item: T) => boolean): void {
    const slot = this.slotOf(cell);
    const list = slot >= 0 ? this.dense![slot] : this.cells.get(cell);
    if (!list) return;
    let n = 0;
    while (n < list.length && expired(list[n]!)) n++;
    if (n === list.length) {
      this.cells.delete(cell);
      if (slot >= 0) this.dense![slot] = undefined;
    } else if (n) list.splice(0, n);
  }

  /** The row of a latitude and the column of a longitude: items near a point are in the 3×3 cells around its own. */
  row(lat: number): number {
    return Math.floor(lat / this.dLat);
  }

  col(lon: number): number {
    return Math.floor(lon / this.dLon);
  }

  /** The items of one cell, oldest first (do not change the list). */
  cellItems(row: number, col: number): readonly T[] | undefined {
    const di = row - this.i0, dj = col - this.j0;
    if (di >= 0 && di < DENSE && dj >= 0 && dj < DENSE && this.dense) return this.dense[di * DENSE + dj];
    return this.cells.get(this.key(row, col));
  }

  /** Items within `meters` (at most the cell size) of `at`. */
  near(at: Location, meters: number): T[] {
    const i = Math.floor(at.lat / this.dLat), j = Math.floor(at.lon / this.dLon);
    const out: T[] = [];
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        const list = this.cells.get(this.key(i + di, j + dj));
        if (list) for (const item of list) if (distanceMeters(at, item.location) <= meters) out.push(item);
      }
    }
    return out;
  }

  all(): T[] {
    return [...this.cells.values()].flat();
  }

  get size(): number {
    let n = 0;
    for (const l of this.cells.values()) n += l.length;
    return n;
  }
}
