import type { AlertTransition } from '../domain/alert.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import type { EventContext } from './context.ts';
import { evidenceOf, pushEvidence } from './evidence.ts';
import { makeTransition } from './transition.ts';
import type { MatchKeyState, RuleState } from './state.ts';

/** `match`: every matching event fires; within `suppress`, a repeat on the same key updates instead. */
export function matchOnEvent(rule: CompiledRule, state: RuleState<MatchKeyState>, e: EventContext): AlertTransition[] {
  const out: AlertTransition[] = [];
  for (const key of rule.keysOf(e)) {
    const prev = state.keys[key];
    const repeat = prev !== undefined && rule.suppressMs !== undefined && e.t - prev.lastAt < rule.suppressMs;
    const s: MatchKeyState = repeat ? prev : { lastAt: e.t, count: 0, evidence: [] };
    s.lastAt = Math.max(s.lastAt, e.t);
    s.count++;
    pushEvidence(s.evidence, evidenceOf(e));
    if (rule.suppressMs !== undefined || rule.groupBy) state.keys[key] = s;
    const explanation = {
      kind: repeat ? ('match-repeat' as const) : ('match' as const),
      summary: repeat ? `${s.count} matching events on ${key}` : `matching event ${e.event.type} from ${e.event.source}`,
      conditions: rule.conditions,
      numbers: { count: s.count, type: e.event.type, source: e.event.source },
    };
    const zones = rule.groupBy?.startsWith('zone') ? [key] : e.zones;
    out.push(makeTransition(repeat ? 'updated' : 'fired', rule, key, e.t, s.count, s.evidence, explanation, e, zones));
  }
  return out;
}

/** Forget keys whose suppress span is over. */
export function matchOnTick(rule: CompiledRule, state: RuleState<MatchKeyState>, watermark: number): AlertTransition[] {
  const span = rule.suppressMs ?? 0;
  for (const [key, s] of Object.entries(state.keys)) if (watermark - s.lastAt >= span) delete state.keys[key];
  return [];
}
