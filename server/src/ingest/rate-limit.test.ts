import { describe, expect, it } from 'vitest';
import { FeedRateLimiter } from './rate-limit.ts';

describe('FeedRateLimiter', () => {
  it('lets each feed send its rate with bursts, then says how long to wait; feeds do not share a bucket', () => {
    const l = new FeedRateLimiter(100, 2); // 100 events/s, bursts of 200
    const t = 1_000_000;
    expect(l.take('a', 150, t)).toBe(0);
    expect(l.take('a', 50, t)).toBe(0);
    expect(l.take('a', 50, t)).toBe(1); // empty: wait
    expect(l.take('b', 200, t)).toBe(0); // another feed, its own bucket
    expect(l.take('a', 50, t + 500)).toBe(0); // refilled 50 in half a second
    expect(l.take('a', 100, t + 500)).toBeGreaterThan(0);
  });

  it('takes a batch larger than the burst when the bucket is full, then makes the feed wait longer', () => {
    const l = new FeedRateLimiter(10, 2);
    expect(l.take('a', 1000, 0)).toBe(0);
    expect(l.take('a', 1, 1000)).toBeGreaterThan(90);
  });

  it('0 turns limits off', () => {
    expect(new FeedRateLimiter(0).take('a', 1e9, 0)).toBe(0);
  });
});
