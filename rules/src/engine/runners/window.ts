import type { EvidenceRef } from '../../domain/alert.ts';
import { MAX_EVIDENCE } from '../evidence.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import { objectToMap } from './runner.ts';

/** One event inside a sliding window: its time, its value (for sum / distinct), its reference (the snapshot's form). */
export type WindowEntry = { t: number; v: number | string | null; ref: EvidenceRef };

/**
 * A per-key sliding window over event time, kept sorted (late events slot in place). Held as
 * parallel arrays (times, references, and values only once one is not null): no object per
 * event, and little memory per key. Its snapshot is `{ entries: WindowEntry[], open }`.
 */
export class SlidingWindow {
  private ts: number[];
  private refs: EvidenceRef[];
  private vs: (number | string | null)[] | undefined;
  open = false;
  /**
   * The last `KeyedWindows.expire` pass that handled this window, or DROPPED once a pass took it
   * out of its key, emptied and closed; not part of its state.
   */
  pass = 0;

  /** `key`: the key it is the window of (its expiries are queued by window, and name it). */
  constructor(readonly key = '', ts: number[] = [], refs: EvidenceRef[] = [], vs?: (number | string | null)[]) {
    this.ts = ts;
    this.refs = refs;
    this.vs = vs;
  }

  add(t: number, v: number | string | null, ref: EvidenceRef): void {
    const ts = this.ts;
    if (ts.length === 0) {
      // Arrays of exactly one: most keys never see a second event.
      this.ts = [t];
      this.refs = [ref];
      this.vs = v === null ? undefined : [v];
      return;
    }
    let i = ts.length;
    while (i > 0 && ts[i - 1]! > t) i--;
    if (v !== null && !this.vs) this.vs = new Array<number | string | null>(ts.length).fill(null);
    if (i === ts.length) {
      ts.push(t);
      this.refs.push(ref);
      this.vs?.push(v);
    } else {
      ts.splice(i, 0, t);
      this.refs.splice(i, 0, ref);
      this.vs?.splice(i, 0, v);
    }
  }

  /** Drops what is at or before `now - span` (the window is (now − span, now]). */
  evict(now: number, span: number): void {
    const cutoff = now - span;
    const ts = this.ts;
    if (ts.length === 0 || ts[0]! > cutoff) return;
    let n = 1;
    while (n < ts.length && ts[n]! <= cutoff) n++;
    if (n === ts.length) {
      ts.length = 0;
      this.refs.length = 0;
      if (this.vs) this.vs.length = 0;
    } else if (n === 1) {
      ts.shift();
      this.refs.shift();
      this.vs?.shift();
    } else {
      ts.splice(0, n);
      this.refs.splice(0, n);
      this.vs?.splice(0, n);
    }
  }

  get count(): number { return this.ts.length; }

  sum(): number {
    let s = 0;
    if (this.vs) for (const v of this.vs) s += typeof v === 'number' ? v : Number(v) || 0;
    return s;
  }

  distinct(): number {
    const seen = new Set<string>();
    if (this.vs) for (const v of this.vs) if (v !== null) seen.add(String(v));
    return seen.size;
  }

  /** Its entries as objects, in time order (for an early check: not on the hot path). */
  entries(): WindowEntry[] {
    const vs = this.vs;
    return this.ts.map((t, i) => ({ t, v: vs ? vs[i]! : null, ref: this.refs[i]! }));
  }

  /** The references of the latest MAX_EVIDENCE entries, in a new array. */
  evidence(): EvidenceRef[] {
    const a = this.refs;
    return a.length > MAX_EVIDENCE ? a.slice(a.length - MAX_EVIDENCE) : a.slice();
  }

  toJSON(): { entries: WindowEntry[]; open: boolean } {
    return { entries: this.entries(), open: this.open };
  }

  static from(key: string, s: { entries: WindowEntry[]; open: boolean }): SlidingWindow {
    const es = s.entries ?? [];
    const w = new SlidingWindow(key, es.map((e) => e.t), es.map((e) => e.ref), es.some((e) => e.v !== null) ? es.map((e) => e.v) : undefined);
    w.open = s.open;
    return w;
  }
}

/** `SlidingWindow.pass` of a window taken out of its key. */
const DROPPED = -1;

/**
 * Windows per key and the queue of their expiries: the state of the windowed kinds. The queue
 * holds the windows themselves (a sweep finds each without looking its key up); its snapshot
 * names their keys.
 */
export class KeyedWindows {
  keys = new Map<string, SlidingWindow>();
  expiry = new ExpiryQueue<SlidingWindow>();
  /** Counts `expire` calls: a window handled in this pass is passed over (no set made per pass). */
  private passes = 0;

  /** The key's window, made when first seen. */
  get(key: string): SlidingWindow {
    let w = this.keys.get(key);
    if (!w) this.keys.set(key, (w = new SlidingWindow(key)));
    return w;
  }

  add(key: string, t: number, v: number | string | null, ref: EvidenceRef, span: number, w: SlidingWindow = this.get(key)): void {
    w.add(t, v, ref);
    this.expiry.push(t + span, w);
  }

  /** Calls `fn` for each key with something expired at `now` (evicted first); empty closed windows go. */
  expire(now: number, span: number, fn: (key: string, w: SlidingWindow) => void): void {
    const pass = ++this.passes;
    for (let q = this.expiry.pop(now); q !== undefined; q = this.expiry.pop(now)) {
      let w: SlidingWindow | undefined = q;
      // Dropped since this expiry was queued (a late event's, queued behind later ones): the
      // expiry is its key's, and reaches the window made again for it, if any (as after a restore).
      if (w.pass === DROPPED && !(w = this.keys.get(q.key))) continue;
      // A key once per pass, as it first expires.
      if (w.pass === pass) continue;
      w.pass = pass;
      w.evict(now, span);
      fn(w.key, w);
      if (w.count === 0 && !w.open) {
        this.keys.delete(w.key);
        w.pass = DROPPED;
      }
    }
  }

  snapshot() {
    const keys: Record<string, { entries: WindowEntry[]; open: boolean }> = {};
    for (const [k, w] of this.keys) keys[k] = w.toJSON();
    const { at, keys: queued } = this.expiry.snapshot();
    return { keys, expiry: { at, keys: queued.map((w) => w.key) } };
  }

  static from(s: unknown): KeyedWindows {
    const st = s as { keys?: unknown; expiry?: { at?: number[]; keys?: string[] } } | undefined;
    const k = new KeyedWindows();
    k.keys = new Map([...objectToMap<{ entries: WindowEntry[]; open: boolean }>(st?.keys)].map(([key, v]) => [key, SlidingWindow.from(key, v)]));
    // A queued key without a window (dropped before the snapshot) stands for the window made
    // again for it: a window of its own, already dropped, as its live queue holds.
    const at = st?.expiry?.at ?? [], queued = st?.expiry?.keys ?? [];
    for (let i = 0; i < at.length; i++) {
      let w = k.keys.get(queued[i]!);
      if (!w) {
        w = new SlidingWindow(queued[i]!);
        w.pass = DROPPED;
      }
      k.expiry.push(at[i]!, w);
    }
    return k;
  }
}
