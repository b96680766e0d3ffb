/**
 * Keys (a cell's number, a window) in the order their oldest content expires. Events come in
 * time order, so expiries do too and a FIFO suffices: each push and each pop is O(1), and a
 * sweep touches only the keys that have something to expire, not every key held. A key comes
 * out once per push: callers pass over one they already handled in a sweep.
 *
 * The entries from `head` to `tail`: their times in a typed array, their keys beside them in a
 * plain one, both written in place (no `push`: one code path for every queue, whatever its keys);
 * once full, the live entries move to the front, or the arrays double.
 */
export class ExpiryQueue<K extends string | number | object> {
  private at = new Float64Array(16);
  private keys: K[] = [];
  private head = 0;
  private tail = 0;

  push(expiresAt: number, key: K): void {
    if (this.tail === this.at.length) this.makeRoom();
    this.at[this.tail] = expiresAt;
    this.keys[this.tail++] = key;
  }

  /**
   * The key of the next entry expired at `now`, taken out, or undefined when none is. Every
   * entry comes out, a key as often as it was pushed: for callers that skip a key already seen
   * themselves (nothing made per pass).
   */
  pop(now: number): K | undefined {
    if (this.head < this.tail && this.at[this.head]! <= now) return this.keys[this.head++]!;
    // Empty: start again from the front, the storage kept.
    if (this.head === this.tail && this.head > 0) this.head = this.tail = 0;
    return undefined;
  }

  /** Room for one more entry at `tail`: the live entries moved to the front when half or more are spent, else the arrays doubled. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head * 2 >= this.at.length) this.at.copyWithin(0, this.head, this.tail);
    else {
      const at = new Float64Array(this.at.length * 2);
      at.set(this.at.subarray(this.head, this.tail));
      this.at = at;
    }
    // A slice: a plain array's `copyWithin` goes property by property.
    if (this.head > 0) this.keys = this.keys.slice(this.head, this.tail);
    this.head = 0;
    this.tail = live;
  }

  /** When the oldest content expires (Infinity: nothing held). */
  get nextAt(): number {
    return this.head < this.tail ? this.at[this.head]! : Infinity;
  }

  get size(): number {
    return this.tail - this.head;
  }

  snapshot(): { at: number[]; keys: K[] } {
    return { at: Array.from(this.at.subarray(this.head, this.tail)), keys: this.keys.slice(this.head, this.tail) };
  }
}
