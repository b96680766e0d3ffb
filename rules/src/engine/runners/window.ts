import type { EvidenceRef } from '../../domain/alert.ts';
import { MAX_EVIDENCE } from '../evidence.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import { mapToObject, objectToMap } from './runner.ts';

/** One event inside a sliding window: its time, its value (for sum / distinct), its reference. */
export type WindowEntry = { t: number; v: number | string | null; ref: EvidenceRef };

/** A per-key sliding window over event time, kept sorted (late events slot in place). */
export class SlidingWindow {
  entries: WindowEntry[] = [];
  open = false;

  add(entry: WindowEntry): void {
    const a = this.entries;
    let i = a.length;
    while (i > 0 && a[i - 1]!.t > entry.t) i--;
    if (i === a.length) a.push(entry);
    else a.splice(i, 0, entry);
  }

  /** Drops what is at or before `now - span` (the window is (now − span, now]). */
  evict(now: number, span: number): void {
    const cutoff = now - span;
    const a = this.entries;
    if (a.length === 0 || a[0]!.t > cutoff) return;
    let n = 1;
    while (n < a.length && a[n]!.t <= cutoff) n++;
    if (n === a.length) a.length = 0;
    else if (n === 1) a.shift();
    else a.splice(0, n);
  }

  get count(): number { return this.entries.length; }

  sum(): number {
    let s = 0;
    for (const e of this.entries) s += typeof e.v === 'number' ? e.v : Number(e.v) || 0;
    return s;
  }

  distinct(): number {
    const seen = new Set<string>();
    for (const e of this.entries) if (e.v !== null) seen.add(String(e.v));
    return seen.size;
  }

  /** The references of the latest MAX_EVIDENCE entries, in a new array. */
  evidence(): EvidenceRef[] {
    const a = this.entries, from = Math.max(0, a.length - MAX_EVIDENCE);
    const out = new Array<EvidenceRef>(a.length - from);
    for (let i = from; i < a.length; i++) out[i - from] = a[i]!.ref;
    return out;
  }

  static from(s: { entries: WindowEntry[]; open: boolean }): SlidingWindow {
    const w = new SlidingWindow();
    w.entries = s.entries;
    w.open = s.open;
    return w;
  }
}

/** Windows per key and the queue of their expiries: the state of the windowed kinds. */
export class KeyedWindows {
  keys = new Map<string, SlidingWindow>();
  expiry = new ExpiryQueue();

  /** The key's window, made when first seen. */
  get(key: string): SlidingWindow {
    let w = this.keys.get(key);
    if (!w) this.keys.set(key, (w = new SlidingWindow()));
    return w;
  }

  add(key: string, entry: WindowEntry, span: number, w: SlidingWindow = this.get(key)): void {
    w.add(entry);
    this.expiry.push(entry.t + span, key);
  }

  /** Calls `fn` for each key with something expired at `now` (evicted first); empty closed windows go. */
  expire(now: number, span: number, fn: (key: string, w: SlidingWindow) => void): void {
    this.expiry.popDue(now, (key) => {
      const w = this.keys.get(key);
      if (!w) return;
      w.evict(now, span);
      fn(key, w);
      if (w.count === 0 && !w.open) this.keys.delete(key);
    });
  }

  snapshot() {
    return { keys: mapToObject(this.keys), expiry: this.expiry.snapshot() };
  }

  static from(s: unknown): KeyedWindows {
    const st = s as { keys?: unknown; expiry?: { at: number[]; keys: string[] } } | undefined;
    const k = new KeyedWindows();
    k.keys = new Map([...objectToMap<{ entries: WindowEntry[]; open: boolean }>(st?.keys)].map(([key, v]) => [key, SlidingWindow.from(v)]));
    k.expiry = ExpiryQueue.from(st?.expiry);
    return k;
  }
}
