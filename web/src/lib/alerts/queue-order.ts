import type { Alert } from '@vigie/rules';
import { compareForQueue, instant } from './store-logic.ts';

/**
 * The orders an operator may put the queue in:
 * - `severity`: the store's (see `compareForQueue`): most severe first, escalated ones at the top
 *   of their severity, then newest raised;
 * - `due`: the open alerts whose acknowledgement falls due first (the most overdue at the top),
 *   then the other open ones, then the acknowledged ones, each in the store's order;
 * - `newest` / `oldest`: by when the alert was raised (the oldest first: the longest waiting).
 *
 * None of them moves an alert when it repeats, is commented or assigned: the row under the
 * cursor stays put. An escalation moves it under `severity` (a higher severity) and `due` (a new
 * time due); an acknowledgement under `due` (after the open ones): the cursor's ↓ and ↑ then go
 * on from where it was (see `moveCursor`). Grouped, the groups keep their own order (by their
 * most severe alert, see `groupQueue`), each sorted so.
 */
export const SORTINGS = ['severity', 'due', 'newest', 'oldest'] as const;
export type Sorting = (typeof SORTINGS)[number];

export const isSorting = (v: unknown): v is Sorting => SORTINGS.includes(v as Sorting);

/** When an open alert's acknowledgement falls due (ms); Infinity when it has no such time, or is not open. */
const dueAt = (a: Alert): number => (a.status === 'open' && a.ackDueAt ? instant(a.ackDueAt) : Infinity);

const byRaised = (a: Alert, b: Alert): number => instant(a.createdAt) - instant(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const COMPARE: Record<Exclude<Sorting, 'severity'>, (a: Alert, b: Alert) => number> = {
  due: (a, b) => dueAt(a) - dueAt(b) || Number(b.status === 'open') - Number(a.status === 'open') || compareForQueue(a, b),
  newest: (a, b) => byRaised(b, a),
  oldest: byRaised,
};

/** `alerts` (in the store's order, see `compareForQueue`) in the order `by`; a new array unless it is the store's. */
export function sortQueue(alerts: readonly Alert[], by: Sorting): readonly Alert[] {
  return by === 'severity' ? alerts : [...alerts].sort(COMPARE[by]);
}
