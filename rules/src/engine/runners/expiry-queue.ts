/**
 * Keys in the order their oldest content expires. Events come in time order, so expiries do
 * too and a FIFO suffices: each push and each pop is O(1), and a sweep touches only the keys
 * that have something to expire, not every key held.
 */
export class ExpiryQueue<K extends string | number = string> {
  private at: number[] = [];
  private keys: K[] = [];
  private head = 0;

  push(expiresAt: number, key: K): void {
    this.at.push(expiresAt);
    this.keys.push(key);
  }

  /** Calls `fn` once for each distinct key with something expired at `now` (a set is made only for a second distinct key). */
  popDue(now: number, fn: (key: K) => void): void {
    let first: K | undefined;
    let seen: Set<K> | undefined;
    while (this.head < this.at.length && this.at[this.head]! <= now) {
      const key = this.keys[this.head++]!;
      if (first === undefined) {
        first = key;
        fn(key);
      } else if (key !== first && !(seen ??= new Set([first])).has(key)) {
        seen.add(key);
        fn(key);
      }
    }
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
