import type { AlertTransition, BacktestAlert } from '@vigie/rules';

export type { BacktestAlert };


export const SAMPLE_SIZE = 20;
export const MAX_POINTS = 2000;
export const MAX_KEPT = 100_000;

export const toBacktestAlert = (t: AlertTransition): BacktestAlert => ({
  key: t.key, at: new Date(t.at).toISOString(), title: t.title, ...(t.translations ? { translations: t.translations } : {}), severity: t.severity, zones: t.zones,
  ...(t.location ? { location: t.location } : {}), explanation: t.explanation, evidence: t.evidence.slice(0, 10),
});


/** The alerts one rule raised in a backtest: counts per day (city time) and zone, map points, a sample. */
export class Tally {
  count = 0;
  readonly perDay = new Map<string, number>();
  readonly perZone = new Map<string, number>();
  readonly points: { lat: number; lon: number; at: string }[] = [];
  readonly sample: BacktestAlert[] = [];
  /** When each key fired (ms, in order), to match the alerts of two runs. */
  private readonly firedAt = new Map<string, number[]>();
  /** The raised alerts themselves (the first MAX_KEPT), to tell which differ between two runs. */
  readonly fired: AlertTransition[] = [];
  private readonly dayOf: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    this.dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  day(ms: number): string {
    return this.dayOf.format(ms);
  }

  add(t: AlertTransition): void {
    if (t.kind !== 'fired') return;
    this.count++;
    const times = this.firedAt.get(t.key);
    if (times) times.push(t.at);
    else this.firedAt.set(t.key, [t.at]);
    if (this.fired.length < MAX_KEPT) this.fired.push(t);
    const d = this.day(t.at);
    this.perDay.set(d, (this.perDay.get(d) ?? 0) + 1);
    for (const z of t.zones) this.perZone.set(z, (this.perZone.get(z) ?? 0) + 1);
    if (t.location && this.points.length < MAX_POINTS) this.points.push({ lat: t.location.lat, lon: t.location.lon, at: new Date(t.at).toISOString() });
    if (this.sample.length < SAMPLE_SIZE) this.sample.push(toBacktestAlert(t));
  }

  /** Whether this run raised an alert on `key` within `tolerance` ms of `at`. */
  has(key: string, at: number, tolerance: number): boolean {
    const times = this.firedAt.get(key);
    if (!times) return false;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < at - tolerance) lo = mid + 1;
      else hi = mid;
    }
    return lo < times.length && times[lo]! <= at + tolerance;
  }

  /** How many of this run's alerts the other run has no counterpart for, and the first of them. */
  missingFrom(other: Tally, tolerance: number): { count: number; sample: BacktestAlert[] } {
    for (const times of other.firedAt.values()) times.sort((a, b) => a - b);
    let count = 0;
    for (const [key, times] of this.firedAt) for (const at of times) if (!other.has(key, at, tolerance)) count++;
    const sample = this.fired.filter((t) => !other.has(t.key, t.at, tolerance)).slice(0, SAMPLE_SIZE).map(toBacktestAlert);
    return { count, sample };
  }
}
