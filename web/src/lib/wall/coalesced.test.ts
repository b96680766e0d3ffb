import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesced } from './coalesced.ts';

describe('coalesced', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers a burst of asks with one call, delayMs after the first', () => {
    const fn = vi.fn();
    const c = coalesced(fn, 1000, 3000);
    c.ask();
    vi.advanceTimersByTime(400);
    c.ask();
    c.ask();
    vi.advanceTimersByTime(599);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('keeps gapMs between calls while asks keep coming, and answers the last ask', () => {
    const fn = vi.fn();
    const c = coalesced(fn, 1000, 3000);
    const calls: number[] = [];
    fn.mockImplementation(() => calls.push(Date.now()));
    const t0 = Date.now();
    for (let t = 0; t <= 10_000; t += 250) {
      c.ask();
      vi.advanceTimersByTime(250);
    }
    vi.advanceTimersByTime(5000);
    // A call a second after the first ask, then one every 3 s; the last ask (at 10 000 ms, just
    // after a call) is answered by a call of its own, 3 s later.
    expect(calls.map((t) => t - t0)).toEqual([1000, 4000, 7000, 10_000, 13_000]);
  });

  it('asks after a quiet spell wait delayMs only; stop cancels what was asked', () => {
    const fn = vi.fn();
    const c = coalesced(fn, 1000, 3000);
    c.ask();
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(10_000);
    c.ask();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    c.ask();
    c.stop();
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
