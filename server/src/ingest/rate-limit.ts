/**
 * Token buckets per feed (sender): each may send `perSecond` events on average, in bursts of
 * up to `burstSeconds` worth. Time is passed in.
 */
export class FeedRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burstSeconds = 2) {}

  /** Takes `n` events from `feed`'s bucket; answers how many seconds to wait when it is short (0: go). */
  take(feed: string, n: number, nowMs: number): number {
    if (this.perSecond <= 0) return 0; // 0 turns limits off
    const cap = this.perSecond * this.burstSeconds;
    const b = this.buckets.get(feed) ?? { tokens: cap, at: nowMs };
    b.tokens = Math.min(cap, b.tokens + ((nowMs - b.at) / 1000) * this.perSecond);
    b.at = nowMs;
    this.buckets.set(feed, b);
    if (b.tokens >= Math.min(n, cap)) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((Math.min(n, cap) - b.tokens) / this.perSecond));
  }
}
