const M_PER_DEG_LAT = 111_320;
/** Side, in cells, of the square around the first item whose lists are also kept in a plain array. */
const DENSE = 64;

/**
 * Items indexed by position in square cells about `cellMeters` wide: the items within
 * `cellMeters` of a point are among those of its cell and the eight around it. An item is
 * anything (a number, say), its position given when it is added.
 */
export class PointGrid<T> {
  /** The lists of the cells outside the dense square (all of them until a first item with a position). */
  private cells = new Map<number, T[]>();
  /**
   * The lists of the DENSE × DENSE cells around the first item, by position: a lookup there is
   * an array read, and a cell that fills or empties there touches no hash map.
   */
  private dense?: (T[] | undefined)[];
  /**
   * When each cell's list was made (a counter), in the dense square and outside: `all` lists the
   * cells in that order, the order of a single map of every cell (a cell emptied and filled
   * again comes last).
   */
  private denseMade?: Float64Array;
  private made = new Map<number, number>();
  private lists = 0;
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

  /** The list of a cell key, wherever it is held. */
  private listAt(k: number): T[] | undefined {
    const slot = this.slotOf(k);
    return slot >= 0 ? this.dense![slot] : this.cells.get(k);
  }

  /** Adds an item at a position; returns its cell's key (for `dropOldest`). */
  add(item: T, lat: number, lon: number): number {
    const i = Math.floor(lat / this.dLat), j = Math.floor(lon / this.dLon);
    if (!this.dense && Number.isFinite(i) && Number.isFinite(j)) this.makeDense(i, j);
    const k = this.key(i, j);
    const slot = this.slotOf(k);
    if (slot >= 0) {
      const list = this.dense![slot];
      if (list) list.push(item);
      else {
        this.dense![slot] = [item];
        this.denseMade![slot] = ++this.lists;
      }
    } else {
      const list = this.cells.get(k);
      if (list) list.push(item);
      else {
        this.cells.set(k, [item]);
        this.made.set(k, ++this.lists);
      }
    }
    return k;
  }

  /** Makes the dense square around cell (i, j), moving there the lists already held in it. */
  private makeDense(i: number, j: number): void {
    this.dense = new Array<T[] | undefined>(DENSE * DENSE).fill(undefined);
    this.denseMade = new Float64Array(DENSE * DENSE);
    this.i0 = i - DENSE / 2;
    this.j0 = j - DENSE / 2;
    for (const [k, l] of this.cells) {
      const slot = this.slotOf(k);
      if (slot < 0) continue;
      this.dense[slot] = l;
      this.denseMade[slot] = this.made.get(k)!;
      this.cells.delete(k);
      this.made.delete(k);
    }
  }

  /** Drops, from the front of a cell (items added in time order), those `expired` says yes to, each told to `dropped`. */
  dropOldest(cell: number, expired: (item: T) => boolean, dropped: (item: T) => void): void {
    const slot = this.slotOf(cell);
    const list = slot >= 0 ? this.dense![slot] : this.cells.get(cell);
    if (!list) return;
    let n = 0;
    while (n < list.length && expired(list[n]!)) dropped(list[n++]!);
    if (n === list.length) {
      if (slot >= 0) this.dense![slot] = undefined;
      else {
        this.cells.delete(cell);
        this.made.delete(cell);
      }
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
    return this.listAt(this.key(row, col));
  }

  /** Every item, cell by cell in the order the cells' lists were made, oldest first within a cell. */
  all(): T[] {
    const lists: { made: number; list: T[] }[] = [];
    if (this.dense) {
      for (let s = 0; s < this.dense.length; s++) {
        const list = this.dense[s];
        if (list) lists.push({ made: this.denseMade![s]!, list });
      }
    }
    for (const [k, list] of this.cells) lists.push({ made: this.made.get(k)!, list });
    return lists.sort((a, b) => a.made - b.made).flatMap((l) => l.list);
  }

  get size(): number {
    let n = 0;
    if (this.dense) for (const l of this.dense) if (l) n += l.length;
    for (const l of this.cells.values()) n += l.length;
    return n;
  }
}
