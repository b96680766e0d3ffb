/** Counts failed sign-ins per key within a span; blocks the key past `max`. */
export class LoginLimiter {
  private failures = new Map<string, number[]>();
  constructor(private readonly max: number, private readonly spanMs: number) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.spanMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  blocked(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.max;
  }

  /** How long until the key may try again (ms; 0 when it may now). */
  waitMs(key: string, now: number): number {
    const list = this.recent(key, now);
    return list.length >= this.max ? Math.max(0, list[list.length - this.max]! + this.spanMs - now) : 0;
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
