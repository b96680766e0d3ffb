import type { EventContext } from './context.ts';

/** Orders events by time, then source and id, so that any arrival order releases the same sequence. */
export function before(a: EventContext, b: EventContext): boolean {
  if (a.t !== b.t) return a.t < b.t;
  if (a.event.source !== b.event.source) return a.event.source < b.event.source;
  return a.event.id < b.event.id;
}

/**
 * What the watermark has not yet passed, released in event-time order. Events that arrive in
 * order (the common case) queue in a plain FIFO; only those that arrive out of order go to a
 * binary min-heap; release merges the two.
 */
export class ReorderBuffer {
  private fifo: EventContext[] = [];
  private head = 0;
  private heap: EventContext[] = [];

  get size(): number {
    return this.fifo.length - this.head + this.heap.length;
  }

  push(e: EventContext): void {
    const last = this.fifo[this.fifo.length - 1];
    if (this.fifo.length === this.head || (last && !before(e, last))) {
      this.fifo.push(e);
      return;
    }
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private popHeap(): EventContext {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Takes out, in order, every event at or before `watermark`. */
  releaseUpTo(watermark: number, into: (e: EventContext) => void): void {
    for (;;) {
      const a = this.head < this.fifo.length ? this.fifo[this.head]! : undefined;
      const b = this.heap.length ? this.heap[0]! : undefined;
      const next = a && (!b || !before(b, a)) ? a : b;
      if (!next || next.t > watermark) break;
      if (next === a) this.head++;
      else this.popHeap();
      into(next);
    }
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.head);
      this.head = 0;
    }
  }

  /** The buffered events, for a snapshot. */
  contents(): EventContext[] {
    return [...this.fifo.slice(this.head), ...this.heap];
  }
}
