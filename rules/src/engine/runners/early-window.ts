import type { EventContext } from '../context.ts';
import type { WindowEntry } from './window.ts';

/** An event counted by an early check: a window's entry (time, value for distinct, reference). */
export type EarlyEntry = WindowEntry;

/**
 * The first window (t − span, t] over `entries` (sorted by time) that holds `bound` entries,
 * or `bound` distinct non-null values when `distinct`: its entries, else undefined. A
 * window the events in order will reach too, whatever order the rest comes in: a count or a
 * number of distinct values only grows as events are added. `reaches`: a further test of the
 * window's measure, given its last entry (an anomaly's, which depends on its hour).
 */
export function windowReaching(entries: readonly EarlyEntry[], span: number, bound: number, distinct: boolean, reaches?: (measure: number, last: EarlyEntry) => boolean): EarlyEntry[] | undefined {
  const values = distinct ? new Map<string, number>() : undefined;
  let i = 0;
  for (let j = 0; j < entries.length; j++) {
    const tj = entries[j]!.t;
    while (entries[i]!.t <= tj - span) {
      if (values) drop(values, entries[i]!.v);
      i++;
    }
    const v = entries[j]!.v;
    if (values && v !== null) values.set(String(v), (values.get(String(v)) ?? 0) + 1);
    const measure = values ? values.size : j - i + 1;
    if (measure >= bound && (!reaches || reaches(measure, entries[j]!))) return entries.slice(i, j + 1);
  }
  return undefined;
}

function drop(values: Map<string, number>, v: number | string | null): void {
  if (v === null) return;
  const k = String(v), n = values.get(k)!;
  if (n === 1) values.delete(k);
  else values.set(k, n - 1);
}

/** Two lists sorted by time, as one. */
export function mergeByTime<T extends { t: number }>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]!.t <= b[j]!.t) ? a[i++]! : b[j++]!);
  return out;
}

/** An arrived event as an early check counts it. */
export type Arrival = EarlyEntry & { e: EventContext };

/** Per key, the events arrived but not yet evaluated in order (time order): what a rule that fires early counts besides its windows. */
export class Arrivals {
  private byKey = new Map<string, Arrival[]>();

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The arrival joins its key's list, which it returns (time order). An event never evaluated
   * in order (the rules or zones changed meanwhile) is dropped once the watermark `released` passed it.
   */
  add(key: string, x: Arrival, released: number): readonly Arrival[] {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    while (list.length && list[0]!.t <= released) list.shift();
    let i = list.length;
    while (i > 0 && list[i - 1]!.t > x.t) i--;
    list.splice(i, 0, x);
    return list;
  }

  /** The key's arrived events (time order), if any. */
  of(key: string): readonly Arrival[] | undefined {
    return this.byKey.get(key);
  }

  /** Drops what the watermark `released` passed without its coming in order (the rules or zones changed meanwhile). */
  prune(released: number): void {
    for (const [key, list] of this.byKey) {
      while (list.length && list[0]!.t <= released) list.shift();
      if (list.length === 0) this.byKey.delete(key);
    }
  }

  /** The event, evaluated in order, leaves its key's list. */
  leave(key: string, e: EventContext): void {
    const list = this.byKey.get(key);
    if (!list) return;
    const i = list.findIndex((x) => x.e === e);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
  }
}

/**
 * Keys a rule fired on arrival whose firing the events in order have not reached yet (theirs
 * is then an update), each with the time past which, if they have not, it is not confirmed
 * (the time of the event that closed the early window). Kept across snapshots.
 */
export class EarlyFirings {
  private ends = new Map<string, number>();

  get size(): number {
    return this.ends.size;
  }

  has(key: string): boolean {
    return this.ends.has(key);
  }

  add(key: string, end: number): void {
    this.ends.set(key, end);
  }

  /** The events in order fire the key: whether it had fired early (then no longer pending). */
  reached(key: string): boolean {
    return this.ends.size !== 0 && this.ends.delete(key);
  }

  /** Keys the watermark `now` went past without the events in order firing them: removed, and given. */
  unconfirmed(now: number): string[] {
    const out: string[] = [];
    for (const [key, end] of this.ends) if (end <= now) out.push(key);
    for (const key of out) this.ends.delete(key);
    return out;
  }

  /** The earliest time one of them falls due (Infinity: none). */
  earliest(): number {
    if (this.ends.size === 0) return Infinity;
    let due = Infinity;
    for (const end of this.ends.values()) if (end < due) due = end;
    return due;
  }

  /** Takes over another's (a new version of the rule): resolved if its own events in order do not confirm them. */
  adopt(from: EarlyFirings): void {
    for (const [key, end] of from.ends) this.ends.set(key, end);
  }

  /** A windowed runner's snapshot with these beside it (as `firedEarly`, only when there are some). */
  beside<S extends object>(snapshot: S): S | (S & { firedEarly: Record<string, number> }) {
    return this.ends.size ? { ...snapshot, firedEarly: Object.fromEntries(this.ends) } : snapshot;
  }

  /** Those of a snapshot `beside` made. */
  static from(snapshot: unknown): EarlyFirings {
    const f = new EarlyFirings();
    const o = (snapshot as { firedEarly?: Record<string, number> } | undefined)?.firedEarly;
    for (const [key, end] of Object.entries(o ?? {})) f.ends.set(key, end);
    return f;
  }
}
