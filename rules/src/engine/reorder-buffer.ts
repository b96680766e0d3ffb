import type { EventContext } from './context.ts';

/** Orders events by time, then source and id, so that any arrival order releases the same sequence. */
function before(a: EventContext, b: EventContext): boolean {
  if (a.t !== b.t) return a.t < b.t;
  if (a.event.source !== b.event.source) return a.event.source < b.event.source;
  return a.event.id < b.event.id;
}

/** A binary min-heap of events by event time: what the watermark has not yet passed. */
export class ReorderBuffer {
  private heap: EventContext[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(e: EventContext): void {
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

  /** Takes out, in order, every event at or before `watermark`. */
  releaseUpTo(watermark: number, into: (e: EventContext) => void): void {
    const h = this.heap;
    while (h.length && h[0]!.t <= watermark) {
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
      into(top);
    }
  }

  /** The buffered events, for a snapshot. */
  contents(): EventContext[] {
    return this.heap.slice();
  }
}
