import type { AlertTransition } from '@vigie/rules';
import { mergeEvidence } from '../storage/alerts-repo.ts';

/**
 * The engine's transitions with each run of updates of one alert (same rule and key, nothing
 * else of that alert between them) made one, where the run's last update was: its count the
 * run's highest, its evidence all of theirs (the latest MAX_EVIDENCE kept), its time the
 * latest, the rest (title, explanation, place) the last one's. Applied one after the other
 * they would leave the alert just so (the store keeps an update's highest count and adds its
 * evidence): in a flood, an alert whose count grows with each event is stored and pushed
 * once a batch rather than once an event. Other transitions keep their order.
 */
export function coalesceUpdates(transitions: readonly AlertTransition[]): { transitions: AlertTransition[]; merged: number } {
  const out: (AlertTransition | null)[] = [];
  /** Per alert, the place in `out` of its latest transition. */
  const last = new Map<string, number>();
  let merged = 0;
  for (const t of transitions) {
    const key = `${t.ruleId}\u0000${t.key}`;
    const i = last.get(key);
    const before = i === undefined ? null : out[i]!;
    if (t.kind === 'updated' && before?.kind === 'updated' && before.ruleVersion === t.ruleVersion) {
      out[i!] = null;
      merged++;
      out.push({ ...t, at: Math.max(before.at, t.at), count: Math.max(before.count, t.count), evidence: mergeEvidence(before.evidence, t.evidence) });
    } else out.push(t);
    last.set(key, out.length - 1);
  }
  return { transitions: merged ? out.filter((t): t is AlertTransition => t !== null) : [...transitions], merged };
}
