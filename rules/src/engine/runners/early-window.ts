import type { WindowEntry } from './window.ts';

/** An event counted by an early check: a window's entry (time, value for distinct, reference). */
export type EarlyEntry = WindowEntry;

/**
 * The first window (t − span, t] over `entries` (sorted by time) that holds `bound` entries,
 * or `bound` distinct non-null values when `distinct`: its entries, else undefined. A
 * window the events in order will reach too, whatever order the rest comes in: a count or a
 * number of distinct values only grows as events are added.
 */
export function windowReaching(entries: readonly EarlyEntry[], span: number, bound: number, distinct: boolean): EarlyEntry[] | undefined {
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
    if (measure >= bound) return entries.slice(i, j + 1);
  }
  return undefined;
}

function drop(values: Map<string, number>, v: number | string | null): void {
  if (v === null) return;
  const k = String(v), n = values.get(k)!;
  if (n === 1) values.delete(k);
  else values.set(k, n - 1);
}
