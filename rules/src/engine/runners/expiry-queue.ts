/**
 * Keys in the order their oldest content expires. Events come in time order, so expiries do
 * too and a FIFO suffices: each push and each pop is O(1), and a sweep touches only the keys
 * that have something to expire, not every key held. A key comes out once per push: callers
 * pass over one they already handled in a sweep.
 */
export class ExpiryQueue<K extends string | number = string> {
  private at: number[] = [];
  private keys: K[] = [];
  private head = 0;

  push(expiresAt: number, key: K): void {
    this.at.push(expiresAt);
    this.keys.push(key);
  }

  /**
   * The key of the next entry expired at `now`, taken out, or undefined when none is (then the
   * queue may compact). Every entry comes out, a key as often as it was pushed: for callers
   * that skip a key already seen themselves (nothing made per pass).
   */
  pop(now: number): K | undefined {
    if (this.head < this.at.length && this.at[this.head]! <= now) return this.keys[this.head++]!;
    this.compact();
    return undefined;
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.at.length) {
      this.at = this.at.slice(this.head);
      this.keys = this.keys.slice(this.head);
      this.head = 0;
    }
  }

  /** When the oldest content expires (Infinity: nothing held). */
  get nextAt(): number {
    return this.head < this.at.length ? this.at[this.head]! : Infinity;
  }

  get size(): number {
    return this.at.length - this.head;
  }

  snapshot(): { at: number[]; keys: K[] } {
    return { at: this.at.slice(this.head), keys: this.keys.slice(this.head) };
  }

  static from<K extends string | number>(s: { at?: number[]; keys?: K[] } | undefined): ExpiryQueue<K> {
    const q = new ExpiryQueue<K>();
    q.at = s?.at ?? [];
    q.keys = s?.keys ?? [];
    return q;
  }
}
