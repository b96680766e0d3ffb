import type { Logger } from './logger.ts';

/**
 * A log line that may come many times a second (an engine batch with events out of time, a
 * job run missed while the event loop was busy), written at most once per `everyMs`: the first
 * at once, with its counts; what comes after within the period is added up and written as one
 * line when the period ends (`times`: how many there were). Nothing goes unsaid, and a burst
 * does not bury the rest of the log.
 */
export class LogTally {
  private counts: Record<string, number> = {};
  private times = 0;
  private first?: unknown;
  /** Until when a line was just written: what comes meanwhile is gathered. */
  private quietUntil = -Infinity;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly level: 'info' | 'warn' | 'error',
    private readonly msg: string,
    private readonly everyMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Counts one occurrence (`counts` added up field by field); `first`, an example, kept from the first of a period. */
  add(counts: Record<string, number>, first?: unknown): void {
    const t = this.now();
    if (!this.times && t >= this.quietUntil) {
      this.log[this.level](this.msg, { ...counts, ...(first === undefined ? {} : { first }) });
      this.quietUntil = t + this.everyMs;
      return;
    }
    this.times++;
    for (const [k, n] of Object.entries(counts)) this.counts[k] = (this.counts[k] ?? 0) + n;
    this.first ??= first;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.quietUntil - t));
      this.timer.unref();
    }
  }

  /** Writes what was gathered since the last line, if anything (at the end of a period; when the node stops). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.times) return;
    this.log[this.level](this.msg, { ...this.counts, times: this.times, ...(this.first === undefined ? {} : { first: this.first }), periodMs: this.everyMs });
    this.counts = {};
    this.times = 0;
    this.first = undefined;
    this.quietUntil = this.now() + this.everyMs;
  }
}
