import type { StoredEvent } from '@vigie/rules';

/**
 * How recent an uploaded event must be to reach the live rules (by its own time, against the
 * clock when it is stored): importing today's log of the last hour feeds the rules (a cluster
 * it shows is still worth an alert); an older upload is history only (stored, searchable, in
 * the baselines of anomaly rules and in backtests), and raises no live alert.
 */
export const IMPORT_LIVE_HORIZON_MS = 60 * 60_000;

/** The uploaded events recent enough for the live rules. */
export function recentImports(events: readonly StoredEvent[], now: number): StoredEvent[] {
  const from = now - IMPORT_LIVE_HORIZON_MS;
  return events.filter((e) => Date.parse(e.time) >= from);
}

/** Consecutive runs of the items sharing `key`, in order (a replayed page mixing uploads and live messages). */
export function runsBy<T, K>(items: readonly T[], key: (x: T) => K): [K, T[]][] {
  const runs: [K, T[]][] = [];
  for (const x of items) {
    const k = key(x), last = runs[runs.length - 1];
    if (last && last[0] === k) last[1].push(x);
    else runs.push([k, [x]]);
  }
  return runs;
}
