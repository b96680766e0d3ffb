import type { AlertTransition, EvidenceRef } from '../../domain/alert.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import type { MatchRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf, pushEvidence } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import { Arrivals } from './early-window.ts';
import { mapToObject, objectToMap, type Runner } from './runner.ts';

type KeyState = { lastAt: number; count: number; evidence: EvidenceRef[] };
type Snapshot = { v: 2; keys: Record<string, KeyState>; firedEarly: Record<string, number[]> };

/**
 * `match`: every matching event fires; within `suppress`, a repeat on the same key updates
 * instead. With `early: true` (and a `suppress`), an event that opens an episode fires on its
 * arrival, before the allowed lateness has passed: the events in order then update that alert.
 */
export class MatchRunner implements Runner {
  private keys = new Map<string, KeyState>();
  /** `early: true`: per key, the events arrived but not yet evaluated in order. */
  private pending = new Arrivals();
  /** `early: true`: per key, the times of the events that fired on arrival, whose episode the events in order have not opened yet. */
  private firedEarly = new Map<string, number[]>();
  private readonly early: boolean;
  private readonly span: number;

  constructor(private readonly rule: CompiledRule) {
    this.span = rule.suppressMs ?? 0;
    this.early = (rule.definition as MatchRuleDefinition).early === true && rule.suppressMs !== undefined;
  }

  /**
   * Stateless (no suppress): the engine may run it on arrival, before reordering. Each event
   * fires on its own, grouped or not: a `groupBy` without `suppress` only names the alert's key.
   */
  static isStateless(rule: CompiledRule): boolean {
    return rule.kind === 'match' && rule.suppressMs === undefined;
  }

  /**
   * `early: true`: an event fires on arrival when it opens an episode among the events known
   * (evaluated in order, or arrived): none of the key within the suppress span before it, in
   * which case the events in order open the episode with it, nor after it, in which case the
   * episode fired already (with the first of them to arrive). In order, the episode's opening
   * is then an update of that alert.
   */
  onArrival(e: EventContext, released: number, remember = false): AlertTransition[] | undefined {
    if (!this.early) return undefined;
    const span = this.span;
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      const arrived = this.pending.add(key, { t: e.t, v: null, ref: evidenceOf(e), e }, released);
      if (remember) continue;
      const i = arrived.findIndex((x) => x.e === e);
      const before = i > 0 ? arrived[i - 1]!.t : this.keys.get(key)?.lastAt;
      const after = arrived[i + 1]?.t;
      if ((before !== undefined && e.t - before < span) || (after !== undefined && after - e.t < span)) continue;
      let fired = this.firedEarly.get(key);
      if (!fired) this.firedEarly.set(key, (fired = []));
      insertSorted(fired, e.t);
      (out ??= []).push(this.transition('fired', key, e, 1, [evidenceOf(e)], false));
    }
    return out;
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
      const early = (this.pending.size !== 0 || this.firedEarly.size !== 0) && this.reachesEarly(key, e, !repeat);
      out.push(this.transition(repeat || early ? 'updated' : 'fired', key, e, s.count, s.evidence.slice(), repeat));
    }
    return out;
  }

  /**
   * The event, evaluated in order, leaves the key's arrived events. When it opens an episode: whether the
   * episode (it and the arrived events that follow it within the span, one after the other)
   * holds an event that fired on arrival, whose alert it then is.
   */
  private reachesEarly(key: string, e: EventContext, opens: boolean): boolean {
    const t = e.t;
    this.pending.leave(key, e);
    const arrived = this.pending.of(key);
    const fired = this.firedEarly.get(key);
    if (!fired) return false;
    let end = t;
    if (opens) {
      for (const { t: next } of arrived ?? []) {
        if (next - end >= this.span) break;
        end = Math.max(end, next);
      }
    }
    // The firings up to the episode's end are its own (or, before `t`, of events the order put in an earlier episode).
    let n = 0;
    while (n < fired.length && fired[n]! <= (opens ? end : t)) n++;
    const reached = opens && fired.slice(0, n).some((f) => f >= t);
    fired.splice(0, n);
    if (fired.length === 0) this.firedEarly.delete(key);
    return reached;
  }

  private transition(kind: 'fired' | 'updated', key: string, e: EventContext, count: number, evidence: EvidenceRef[], repeat: boolean): AlertTransition {
    const explanation = {
      kind: repeat ? ('match-repeat' as const) : ('match' as const),
      summary: repeat ? `${count} matching events on ${key}` : `matching event ${e.event.type} from ${e.event.source}`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { count, type: e.event.type, source: e.event.source },
    };
    const zones = this.rule.groupBy?.startsWith('zone') ? [key] : e.zones;
    return makeTransition(kind, this.rule, key, e.t, count, evidence, explanation, e, zones);
  }

  onTime(now: number): undefined {
    if (this.keys.size === 0 && this.firedEarly.size === 0 && this.pending.size === 0) return undefined; // stateless rules hold none
    const span = this.rule.suppressMs ?? 0;
    for (const [key, s] of this.keys) if (now - s.lastAt >= span) this.keys.delete(key);
    // Arrivals and firings whose events never came in order (the rule or the zones changed meanwhile): forgotten.
    this.pending.prune(now);
    for (const [key, times] of this.firedEarly) {
      while (times.length && times[0]! <= now) times.shift();
      if (times.length === 0) this.firedEarly.delete(key);
    }
    return undefined;
  }

  /** A new version of the rule takes the episodes the one it replaces fired on arrival: the events in order update them. */
  adoptEarly(from: Runner): void {
    if (from instanceof MatchRunner) for (const [key, fired] of from.firedEarly) this.firedEarly.set(key, [...fired]);
  }

  nextDue() { return this.keys.size === 0 && this.firedEarly.size === 0 && this.pending.size === 0 ? Infinity : -Infinity; }
  openKeys() { return this.keys.size; }
  snapshot(): Snapshot | Record<string, KeyState> {
    return this.firedEarly.size ? { v: 2, keys: mapToObject(this.keys), firedEarly: mapToObject(this.firedEarly) } : mapToObject(this.keys);
  }
  restore(s: unknown) {
    // A key's state is an object, never the number 2: `v: 2` marks the snapshot with early episodes.
    const withEarly = (s as Partial<Snapshot> | undefined)?.v === 2;
    this.keys = objectToMap(withEarly ? (s as Snapshot).keys : s);
    this.firedEarly = objectToMap(withEarly ? (s as Snapshot).firedEarly : {});
    this.pending.clear();
  }
}

/** Inserts `t` into the ascending `list` (after equal times); its index. */
function insertSorted(list: number[], t: number): number {
  let i = list.length;
  while (i > 0 && list[i - 1]! > t) i--;
  list.splice(i, 0, t);
  return i;
}
