import type { AlertTransition, EvidenceRef } from '../../domain/alert.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf, pushEvidence } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import { mapToObject, objectToMap, type Runner } from './runner.ts';

type KeyState = { lastAt: number; count: number; evidence: EvidenceRef[] };

/** `match`: every matching event fires; within `suppress`, a repeat on the same key updates instead. */
export class MatchRunner implements Runner {
  private keys = new Map<string, KeyState>();
  constructor(private readonly rule: CompiledRule) {}

  /** Stateless (no suppress, no groupBy): the engine may run it on arrival, before reordering. */
  static isStateless(rule: CompiledRule): boolean {
    return rule.kind === 'match' && rule.suppressMs === undefined && !rule.groupBy;
  }

  onEvent(e: EventContext): AlertTransition[] {
    const rule = this.rule;
    const out: AlertTransition[] = [];
    for (const key of rule.keysOf(e)) {
      const prev = this.keys.get(key);
      const repeat = prev !== undefined && rule.suppressMs !== undefined && e.t - prev.lastAt < rule.suppressMs;
      const s: KeyState = repeat ? prev : { lastAt: e.t, count: 0, evidence: [] };
      s.lastAt = Math.max(s.lastAt, e.t);
      s.count++;
      pushEvidence(s.evidence, evidenceOf(e));
      if (!MatchRunner.isStateless(rule)) this.keys.set(key, s);
      const explanation = {
        kind: repeat ? ('match-repeat' as const) : ('match' as const),
        summary: repeat ? `${s.count} matching events on ${key}` : `matching event ${e.event.type} from ${e.event.source}`,
        conditions: rule.conditions, conditionsFr: rule.conditionsFr,
        numbers: { count: s.count, type: e.event.type, source: e.event.source },
      };
      const zones = rule.groupBy?.startsWith('zone') ? [key] : e.zones;
      out.push(makeTransition(repeat ? 'updated' : 'fired', rule, key, e.t, s.count, s.evidence.slice(), explanation, e, zones));
    }
    return out;
  }

  onTime(now: number): undefined {
    if (this.keys.size === 0) return undefined; // stateless rules hold none
    const span = this.rule.suppressMs ?? 0;
    for (const [key, s] of this.keys) if (now - s.lastAt >= span) this.keys.delete(key);
    return undefined;
  }

  nextDue() { return this.keys.size === 0 ? Infinity : -Infinity; }
  openKeys() { return this.keys.size; }
  snapshot() { return mapToObject(this.keys); }
  restore(s: unknown) { this.keys = objectToMap(s); }
}
