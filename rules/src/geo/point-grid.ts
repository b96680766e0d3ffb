import { cosLat } from './distance.ts';

const M_PER_DEG_LAT = 111_320;
/** Side, in cells, of the square around the first item whose cells are also found by position (no hash map). */
const DENSE = 64;
/** Numbers per cell record in `records`: its first item, its last item, its number of items. */
const REC = 3;
const NONE = -1;
/**
 * Numbers per item in `items`: its time, latitude, longitude, cos(latitude), then the item after
 * it in its cell. What a neighbour search reads of an item lies side by side: one cache line,
 * or two adjacent ones, rather than one in each of two arrays.
 */
export const ITEM = 5;
/** Where in an item's numbers its link to the next item of its cell is. */
const NEXT = 4;

/**
 * Timed points indexed by position in square cells about `cellMeters` wide: the items within
 * `cellMeters` of a point are among those of its cell and the eight around it. An item is a
 * small non-negative integer (a number its owner gives it, and may give again once dropped),
 * its position and time given when it is added, and kept in `items`.
 *
 * Nothing is made per item or per cell: each cell is a record of three integers (first item,
 * last item, count) in one typed array, and its items a chain through their numbers in `items`
 * (each item's link beside its time and position), in the order they were added. The records
 * of the DENSE × DENSE cells around the first item sit at their cells' places (a lookup there
 * is arithmetic); any other cell's record is found by a map from its key, and given back once
 * the cell empties.
 */
export class PointGrid {
  /** Per record: first item, last item, count (a cell with no item: NONE, NONE, 0). */
  private records: Int32Array;
  /**
   * Per item, ITEM numbers: at `item * ITEM` its time, at `position(item)` its latitude,
   * longitude and cos(latitude) (as `withinMeters` reads them), then the item after it in its
   * cell (NONE: none). A new array when it grows: read it again after an `add`.
   */
  items = new Float64Array(64 * ITEM);
  private dense = false;
  /** Records outside the dense square, by cell key; and the record numbers free for reuse there. */
  private outside = new Map<number, number>();
  private freeRecords: number[] = [];
  private used = DENSE * DENSE;
  private i0 = 0;
  private j0 = 0;
  private count = 0;
  private readonly dLat: number;
  private readonly dLon: number;

  constructor(cellMeters: number, refLat = 43.3) {
    this.dLat = cellMeters / M_PER_DEG_LAT;
    this.dLon = cellMeters / (M_PER_DEG_LAT * Math.cos((refLat * Math.PI) / 180));
    // Made with the first item: a rule that never sees an event holds no grid (some 50 kB).
    this.records = NO_RECORDS;
  }

  /**
   * A small integer per cell (a V8 small integer: no number to allocate, the fastest map key):
   * rows and columns are taken modulo 2^15, so two cells share a record only when thousands of
   * kilometres apart, where no item is ever near the other's.
   */
  private key(i: number, j: number) {
    return (i & 0x7fff) * 32_768 + (j & 0x7fff);
  }

  /** The dense slot of a map key, or NONE when its cell lies outside the dense square. */
  private slotOf(k: number): number {
    if (!this.dense) return NONE;
    const di = (Math.floor(k / 32_768) - (this.i0 & 0x7fff)) & 0x7fff;
    const dj = ((k % 32_768) - (this.j0 & 0x7fff)) & 0x7fff;
    return di < DENSE && dj < DENSE ? di * DENSE + dj : NONE;
  }

  /** The record of a cell key, or NONE (outside the dense square, with no item). */
  private recordOf(k: number): number {
    const slot = this.slotOf(k);
    return slot >= 0 ? slot : (this.outside.get(k) ?? NONE);
  }

  /** Adds an item at a position and a time (`cos`: cos(latitude), as `cosLat` gives it); returns its cell's key (for `dropOldest`). */
  add(item: number, lat: number, lon: number, t = 0, cos = cosLat(lat)): number {
    const i = Math.floor(lat / this.dLat), j = Math.floor(lon / this.dLon);
    if (!this.dense) this.beforeDense(i, j);
    const k = this.key(i, j);
    let rec = this.recordOf(k);
    if (rec < 0) {
      rec = this.newRecord();
      this.outside.set(k, rec);
    }
    if (item * ITEM >= this.items.length) this.growItems(item);
    const r = this.records, at = rec * REC, p = this.items, x = item * ITEM;
    p[x] = t;
    p[x + 1] = lat;
    p[x + 2] = lon;
    p[x + 3] = cos;
    p[x + NEXT] = NONE;
    if (r[at + 2] === 0) r[at] = item;
    else p[r[at + 1]! * ITEM + NEXT] = item;
    r[at + 1] = item;
    r[at + 2]!++;
    this.count++;
    return k;
  }

  /**
   * Before the dense square is made (no item with a position yet): the records are made with
   * the first item, and the square around the first one with a position.
   */
  private beforeDense(i: number, j: number): void {
    if (this.records === NO_RECORDS) this.records = emptyRecords(FIRST_RECORDS);
    if (Number.isFinite(i) && Number.isFinite(j)) this.makeDense(i, j);
  }

  /** Makes the dense square around cell (i, j), moving there the records already held in it. */
  private makeDense(i: number, j: number): void {
    this.dense = true;
    this.i0 = i - DENSE / 2;
    this.j0 = j - DENSE / 2;
    for (const [k, rec] of [...this.outside]) {
      const slot = this.slotOf(k);
      if (slot < 0) continue;
      this.records.copyWithin(slot * REC, rec * REC, rec * REC + REC);
      this.outside.delete(k);
      this.freeRecord(rec);
    }
  }

  private newRecord(): number {
    const rec = this.freeRecords.pop();
    if (rec !== undefined) return rec;
    if (this.used * REC === this.records.length) {
      const records = emptyRecords(this.used * 2);
      records.set(this.records);
      this.records = records;
    }
    return this.used++;
  }

  private freeRecord(rec: number): void {
    const at = rec * REC;
    this.records[at] = this.records[at + 1] = NONE;
    this.records[at + 2] = 0;
    this.freeRecords.push(rec);
  }

  private growItems(item: number): void {
    let n = (this.items.length / ITEM) * 2;
    while (n <= item) n *= 2;
    const items = new Float64Array(n * ITEM);
    items.set(this.items);
    this.items = items;
  }

  /** An item's time. */
  t(item: number): number {
    return this.items[item * ITEM]!;
  }

  /** Where the item's latitude, longitude and cos(latitude) follow one another in `items` (as `withinMeters` reads them). */
  position(item: number): number {
    return item * ITEM + 1;
  }

  /** Drops, from the front of a cell (oldest first), the items `expired` says yes to, each told to `dropped`. */
  dropOldest(cell: number, expired: (item: number) => boolean, dropped: (item: number) => void): void {
    const rec = this.recordOf(cell);
    if (rec < 0) return;
    const r = this.records, at = rec * REC;
    let item = r[at]!, n = 0;
    while (item !== NONE && expired(item)) {
      const after = this.items[item * ITEM + NEXT]!;
      dropped(item);
      item = after;
      n++;
    }
    if (n === 0) return;
    this.count -= n;
    if (item !== NONE) {
      r[at] = item;
      r[at + 2]! -= n;
    } else if (rec >= DENSE * DENSE) {
      this.outside.delete(cell);
      this.freeRecord(rec);
    } else {
      r[at] = r[at + 1] = NONE;
      r[at + 2] = 0;
    }
  }

  /** The row of a latitude and the column of a longitude: items near a point are in the 3×3 cells around its own. */
  row(lat: number): number {
    return Math.floor(lat / this.dLat);
  }

  col(lon: number): number {
    return Math.floor(lon / this.dLon);
  }

  /**
   * The record of the cell at (row, col), for `countOf` and `firstOf`; NONE (negative) when the
   * cell holds nothing and has none. A cell far outside the dense square may share a dense
   * slot (its key wraps onto one's): it is found there, as `add` put it.
   */
  cellAt(row: number, col: number): number {
    const di = row - this.i0, dj = col - this.j0;
    if (di >= 0 && di < DENSE && dj >= 0 && dj < DENSE && this.dense) return di * DENSE + dj;
    return this.recordOf(this.key(row, col));
  }

  /** How many items the cells `nonEmptyAround` found last hold in all. */
  heldAround = 0;

  /**
   * The records of the 3 × 3 cells around (row, col) that hold items, written into `into` (as
   * many as it returns), row by row as `cellAt` finds them; `heldAround` counts their items.
   * In the dense square (all of a city), by arithmetic alone: a loop of its own (one loop
   * choosing per cell between arithmetic and `cellAt` counted 214 more instructions per event
   * at 1000 rules).
   */
  nonEmptyAround(row: number, col: number, into: number[]): number {
    const r = this.records, di = row - this.i0, dj = col - this.j0;
    let n = 0, held = 0;
    if (this.dense && di >= 1 && di < DENSE - 1 && dj >= 1 && dj < DENSE - 1) {
      for (let slot = (di - 1) * DENSE + dj - 1, end = slot + 3 * DENSE; slot < end; slot += DENSE) {
        for (let rec = slot; rec < slot + 3; rec++) {
          const count = r[rec * REC + 2]!;
          if (count === 0) continue;
          into[n++] = rec;
          held += count;
        }
      }
    } else {
      for (let i = row - 1; i <= row + 1; i++) {
        for (let j = col - 1; j <= col + 1; j++) {
          const rec = this.cellAt(i, j);
          if (rec < 0) continue;
          const count = r[rec * REC + 2]!;
          if (count === 0) continue;
          into[n++] = rec;
          held += count;
        }
      }
    }
    this.heldAround = held;
    return n;
  }

  /** How many items the cell of a record holds. */
  countOf(rec: number): number {
    return this.records[rec * REC + 2]!;
  }

  /** The oldest item of the cell of a record (NONE when empty); `nextOf` gives the others in turn. */
  firstOf(rec: number): number {
    return this.records[rec * REC]!;
  }

  /** The item added to its cell after `item`, or NONE (negative). */
  nextOf(item: number): number {
    return this.items[item * ITEM + NEXT]!;
  }

  /** The items of one cell, oldest first, in a new list (empty: none); `firstOf` and `nextOf` walk them without one. */
  cellItems(row: number, col: number): number[] {
    const out: number[] = [];
    const rec = this.cellAt(row, col);
    if (rec >= 0) for (let s = this.firstOf(rec); s !== NONE; s = this.nextOf(s)) out.push(s);
    return out;
  }

  /**
   * Every item, by time, then latitude, then longitude; items alike in all three (in one cell)
   * in the order they were added. An order that depends on the items alone, not on the cells'
   * history: a grid rebuilt from this list (as a restore does) lists them alike.
   */
  all(): number[] {
    const out: number[] = [];
    const r = this.records, p = this.items;
    for (let rec = 0; rec < this.used; rec++) if (r[rec * REC + 2]! > 0) for (let s = r[rec * REC]!; s !== NONE; s = this.nextOf(s)) out.push(s);
    // A stable sort: items alike keep their cell's order.
    return out.sort((a, b) => p[a * ITEM]! - p[b * ITEM]! || p[a * ITEM + 1]! - p[b * ITEM + 1]! || p[a * ITEM + 2]! - p[b * ITEM + 2]!);
  }

  get size(): number {
    return this.count;
  }
}

const NO_RECORDS = new Int32Array(0);

/** `n` empty records (NONE, NONE, 0). */
function blankRecords(n: number): Int32Array {
  const r = new Int32Array(n * REC);
  for (let i = 0; i < r.length; i += REC) r[i] = r[i + 1] = NONE;
  return r;
}

/** The records a grid makes with its first item: the dense square's, and a few more. */
const FIRST_RECORDS = DENSE * DENSE + 16;
const BLANK = blankRecords(FIRST_RECORDS);

/** `n` empty records: the first ones of a grid a copy of BLANK (one native copy, not a loop per record). */
function emptyRecords(n: number): Int32Array {
  return n === FIRST_RECORDS ? BLANK.slice() : blankRecords(n);
}
