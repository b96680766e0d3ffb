import type { AlertTransition, Explanation } from '../domain/alert.ts';
import { formatDuration } from '../language/duration.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import type { EventContext } from './context.ts';
import { evidenceOf, pushEvidence } from './evidence.ts';
import { makeTransition } from './transition.ts';
import type { RuleState, ThresholdKeyState } from './state.ts';

function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1]! > t) i--;
  times.splice(i, 0, t);
}

/** Drops times that fell out of the window ending at `now`; evidence follows its events out. */
function evict(s: ThresholdKeyState, now: number, windowMs: number): void {
  const cutoff = now - windowMs;
  let n = 0;
  while (n < s.times.length && s.times[n]! <= cutoff) n++;
  if (n) s.times.splice(0, n);
  const firstKept = s.evidence.findIndex((r) => Date.parse(r.time) > cutoff);
  if (firstKept > 0) s.evidence.splice(0, firstKept);
  else if (firstKept === -1) s.evidence.length = 0;
}

function explain(rule: CompiledRule, key: string, count: number): Explanation {
  const window = formatDuration(rule.windowMs!);
  return {
    kind: 'threshold',
    summary: `${count} events within ${window} for ${rule.groupBy} ${key} (threshold ${rule.countGte})`,
    conditions: rule.conditions,
    numbers: { count, threshold: rule.countGte!, window, groupBy: rule.groupBy ?? '', key },
  };
}

const zonesFor = (rule: CompiledRule, key: string, e: EventContext | undefined) =>
  rule.groupBy?.startsWith('zone') ? [key] : e?.zones ?? [];

/** `threshold`: count per key over a sliding event-time window; fires at `count.gte`, resolves when back under. */
export function thresholdOnEvent(
  rule: CompiledRule, state: RuleState<ThresholdKeyState>, e: EventContext, watermark: number,
): AlertTransition[] {
  const windowMs = rule.windowMs!;
  if (e.t <= watermark - windowMs) return []; // already outside every open window
  const out: AlertTransition[] = [];
  for (const key of rule.keysOf(e)) {
    const s = (state.keys[key] ??= { times: [], evidence: [], open: false });
    insertSorted(s.times, e.t);
    pushEvidence(s.evidence, evidenceOf(e));
    evict(s, Math.max(watermark, e.t), windowMs);
    const count = s.times.length;
    if (count < rule.countGte!) continue;
    const kind = s.open ? 'updated' : 'fired';
    s.open = true;
    out.push(makeTransition(kind, rule, key, e.t, count, s.evidence, explain(rule, key, count), e, zonesFor(rule, key, e)));
  }
  return out;
}

export function thresholdOnTick(rule: CompiledRule, state: RuleState<ThresholdKeyState>, watermark: number): AlertTransition[] {
  const out: AlertTransition[] = [];
  for (const [key, s] of Object.entries(state.keys)) {
    evict(s, watermark, rule.windowMs!);
    const count = s.times.length;
    if (s.open && count < rule.countGte!) {
      s.open = false;
      const explanation = { ...explain(rule, key, count), kind: 'threshold-cleared' as const, summary: `back under the threshold: ${count} within ${formatDuration(rule.windowMs!)} (threshold ${rule.countGte})` };
      out.push(makeTransition('resolved', rule, key, watermark, count, s.evidence, explanation, undefined, zonesFor(rule, key, undefined)));
    }
    if (count === 0 && !s.open) delete state.keys[key];
  }
  return out;
}
