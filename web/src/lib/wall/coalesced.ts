/**
 * `fn` called once for a burst of asks: `delayMs` after the first ask (the rest of the burst
 * comes meanwhile), and never sooner than `gapMs` after its previous call, however long asks
 * keep coming. Nothing asked is dropped: an ask during a wait is answered by that call.
 */
export function coalesced(fn: () => void, delayMs: number, gapMs: number, now: () => number = Date.now): { ask(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  return {
    ask() {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        last = now();
        fn();
      }, Math.max(delayMs, last + gapMs - now()));
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
