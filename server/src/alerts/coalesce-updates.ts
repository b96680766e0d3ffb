import type { AlertTransition } from '@vigie/rules';
import { mergeEvidence } from '../storage/alerts-repo.ts';

/**
 * Updates of one alert made one (see `coalesceUpdates`): `parts`, those updates in turn, whose
 * evidence the store adds to an active alert's one after the other (as it would have for each
 * update), and which it applies one by one should the alert no longer be active (an operator
 * closed it meanwhile); `evidence`, all of theirs merged.
 */
export type CoalescedTransition = AlertTransition & { parts?: AlertTransition[] };

/**
 * The engine's transitions with each run of updates of one alert (same rule, version and key,
 * nothing else of that alert between them) stored in two: the run's first as it is, which
 * leaves the alert active (made, reopened or updated), then the others made one where the last
 * of them was: its count the highest, its time the latest, its place the last one given, its
 * evidence each one's in turn, the rest (title, explanation) the last one's. On an active alert
 * the store keeps an update's highest count, its latest time and place, and adds its evidence:
 * the alert is left as applying each in turn would leave it (and if it is no longer active, the
 * store applies them in turn). In a flood, an alert whose count grows with each event is stored
 * and pushed twice a batch rather than once an event. Other transitions keep their order.
 */
export function coalesceUpdates(transitions: readonly AlertTransition[]): { transitions: CoalescedTransition[]; merged: number } {
  const out: (CoalescedTransition | null)[] = [];
  /** Per alert, the place in `out` of its latest transition, and whether that one already gathers updates. */
  const last = new Map<string, { at: number; gathering: boolean }>();
  let merged = 0;
  for (const t of transitions) {
    const key = `${t.ruleId}\u0000${t.key}`;
    const seen = last.get(key);
    const before = seen ? out[seen.at]! : null;
    if (t.kind === 'updated' && before?.kind === 'updated' && before.ruleVersion === t.ruleVersion) {
      if (seen!.gathering) {
        out[seen!.at] = null;
        merged++;
        out.push(gathered(before, t));
      } else out.push({ ...t, parts: [t] });
      last.set(key, { at: out.length - 1, gathering: true });
      continue;
    }
    out.push(t);
    last.set(key, { at: out.length - 1, gathering: false });
  }
  return { transitions: merged ? out.filter((x): x is CoalescedTransition => x !== null) : out as CoalescedTransition[], merged };
}

/** The gathered updates `a` and the next update `t` as one (`a`'s parts, the coalescer's own, taken on). */
function gathered(a: CoalescedTransition, t: AlertTransition): CoalescedTransition {
  const location = t.location ?? a.location;
  const parts = a.parts!;
  parts.push(t);
  return {
    ...t,
    ...(location ? { location } : {}),
    at: Math.max(a.at, t.at),
    count: Math.max(a.count, t.count),
    evidence: mergeEvidence(a.evidence, t.evidence),
    parts,
  };
}
