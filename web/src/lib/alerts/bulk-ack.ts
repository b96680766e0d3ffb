import type { Alert } from '@vigie/rules';
import { isUnreachable, type ActionOutcome } from './alert-actions.ts';

/** What "acknowledge the alerts shown" (« Prendre en compte les affichées ») acts on: the open ones among those shown, in the order shown. */
export const bulkAckTargets = (shown: readonly Alert[]): Alert[] => shown.filter((a) => a.status === 'open');

/**
 * Where a run stands. `changed`: someone else acted on the alert meanwhile (a version conflict,
 * or its state no longer allows it): left as it is. `failed`: refused otherwise. `notSent`: not
 * tried, the run having stopped (the operator stopped it, the session ended, the server could
 * not be reached).
 */
export type BulkTally = { total: number; done: number; changed: number; failed: number; notSent: number };

/** Why a run stopped before its end, if it did. */
export type BulkStop = 'stopped' | 'expired' | 'unreachable';

export type BulkResult = { tally: BulkTally; stop: BulkStop | null; outcomes: Map<string, ActionOutcome> };

/**
 * Runs `act` on each alert, `parallel` at a time, in order, telling `progress` after each
 * answer. Stops sending once `signal` is aborted, once an answer says the session ended (401),
 * or once the server cannot be reached (nothing was recorded then: trying the rest is pointless);
 * the answers awaited still count. Never throws (`act` does not: see runAlertAction).
 */
export async function runBulk(
  alerts: readonly Alert[],
  act: (alert: Alert) => Promise<ActionOutcome>,
  progress: (tally: BulkTally) => void = () => {},
  opts: { parallel?: number; signal?: AbortSignal } = {},
): Promise<BulkResult> {
  const tally: BulkTally = { total: alerts.length, done: 0, changed: 0, failed: 0, notSent: 0 };
  const outcomes = new Map<string, ActionOutcome>();
  let stop: BulkStop | null = null;
  let next = 0;
  const worker = async () => {
    while (next < alerts.length) {
      if (opts.signal?.aborted) stop ??= 'stopped';
      if (stop) return;
      const alert = alerts[next++]!;
      const outcome = await act(alert);
      outcomes.set(alert.id, outcome);
      if (outcome.kind === 'done') tally.done++;
      else if (outcome.kind === 'conflict' || outcome.kind === 'refused') tally.changed++;
      else {
        tally.failed++;
        if (outcome.status === 401) stop ??= 'expired';
        else if (isUnreachable(outcome.status)) stop ??= 'unreachable';
      }
      progress({ ...tally });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 4, alerts.length)) }, worker));
  tally.notSent = alerts.length - outcomes.size;
  return { tally, stop, outcomes };
}
