import type { AlertTransition, Explanation } from '../../domain/alert.ts';
import { compileGetter } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { ThresholdRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf, MAX_EVIDENCE } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import type { Runner } from './runner.ts';
import { Arrivals, EarlyFirings, mergeByTime, windowReaching, type EarlyEntry } from './early-window.ts';
import { KeyedWindows, type SlidingWindow } from './window.ts';

/** `threshold`: count (or sum, or distinct values) per key over a sliding window; fires at the bound, resolves back under. */
export class ThresholdRunner implements Runner {
  private windows = new KeyedWindows();
  /** `early: true`: per key, the events arrived but not yet evaluated in order (time order). */
  private pending = new Arrivals();
  /**
   * Keys fired early whose firing the events in order have not reached yet (theirs is then an
   * update), with the time of the event that closed the early window: once the events in order
   * have passed it without firing (an upload slid the window meanwhile, the rule changed),
   * the early alert is resolved, not left open.
   */
  private firedEarly = new EarlyFirings();
  private readonly windowText: string;
  private readonly def: ThresholdRuleDefinition;
  private readonly measure: (w: SlidingWindow) => number;
  private readonly bound: number;
  private readonly value: ((e: EventContext) => unknown) | undefined;
  private readonly label: string;

  /**
   * The rule's own words in a summary, joined once: `${label} `, the value, then ` within
   * ${window}` when cleared, or ` within ${window} for ${groupBy} ` and the key when firing,
   * then ` (threshold ${bound})`.
   */
  private readonly summary: { head: string; cleared: string; firing: string; tail: string };
  /** Grouped by zone: a key is the zone its alert is in. */
  private readonly keyIsZone: boolean;

  constructor(private readonly rule: CompiledRule) {
    this.windowText = formatDuration(rule.windowMs!);
    this.def = rule.definition as ThresholdRuleDefinition;
    if (this.def.sum) {
      this.measure = (w) => w.sum();
      this.bound = this.def.sum.gte;
      this.value = compileGetter(this.def.sum.field);
      this.label = `sum of ${this.def.sum.field}`;
    } else if (this.def.distinct) {
      this.measure = (w) => w.distinct();
      this.bound = this.def.distinct.gte;
      this.value = compileGetter(this.def.distinct.field);
      this.label = `distinct ${this.def.distinct.field}`;
    } else {
      this.measure = (w) => w.count;
      this.bound = this.def.count!.gte;
      this.value = undefined;
      this.label = 'count';
    }
    this.keyIsZone = rule.groupBy?.startsWith('zone') === true;
    this.summary = { head: `${this.label} `, cleared: ` within ${this.windowText}`, firing: ` within ${this.windowText} for ${rule.groupBy} `, tail: ` (threshold ${this.bound})` };
  }

  private explain(key: string, w: SlidingWindow, cleared: boolean): Explanation {
    return this.explainValue(key, this.measure(w), w.count, cleared);
  }

  private explainValue(key: string, value: number, events: number, cleared: boolean, early = false): Explanation {
    const window = this.windowText, words = this.summary;
    return {
      kind: cleared ? 'threshold-cleared' : early ? 'threshold-early' : 'threshold',
      summary: cleared
        ? 'back under the threshold: ' + words.head + value + words.cleared + words.tail
        : words.head + value + words.firing + key + words.tail + (early ? ', on arrival (before late events could come)' : ''),
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { count: value, threshold: this.bound, window, groupBy: this.rule.groupBy ?? '', key, events },
    };
  }

  /**
   * `early: true`: the event joins its keys' arrived events; a key not open whose events (in
   * order so far, and arrived) reach the bound in some window fires now. The events in order
   * reach that window too (the measure only grows): their firing becomes an update.
   */
  onArrival(e: EventContext, released: number, remember = false): AlertTransition[] | undefined {
    if (!this.def.early) return undefined;
    const span = this.rule.windowMs!;
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      const v = this.value ? this.value(e) : null;
      const list = this.pending.add(key, { t: e.t, v: v === undefined ? null : (v as number | string), ref: evidenceOf(e), e }, released);
      if (remember) continue;
      const w = this.windows.keys.get(key);
      if (w?.open || this.firedEarly.has(key)) continue;
      const known = w ? mergeByTime<EarlyEntry>(w.entries(), list) : list;
      const reached = windowReaching(known, span, this.bound, this.def.distinct !== undefined);
      if (!reached) continue;
      this.firedEarly.add(key, reached[reached.length - 1]!.t);
      const refs = reached.map((x) => x.ref).slice(-MAX_EVIDENCE);
      const value = this.def.distinct ? new Set(reached.filter((x) => x.v !== null).map((x) => String(x.v))).size : reached.length;
      (out ??= []).push(makeTransition('fired', this.rule, key, e.t, value, refs, this.explainValue(key, value, reached.length, false, true), e, this.zones(key, e)));
    }
    return out;
  }

  private zones(key: string, e: EventContext | undefined) {
    return this.keyIsZone ? [key] : e?.zones ?? [];
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const span = this.rule.windowMs!;
    if (e.t <= now - span) return undefined; // already outside every window
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      if (this.pending.size) this.pending.leave(key, e);
      const w = this.windows.get(key);
      // The window slides to this event first: a condition that cleared meanwhile resolves
      // here, whether or not a sweep saw it (so the outcome does not depend on sweep timing).
      w.evict(Math.max(now, e.t), span);
      if (w.open) {
        const before = this.measure(w);
        if (before < this.bound) {
          w.open = false;
          (out ??= []).push(makeTransition('resolved', this.rule, key, e.t, before, w.evidence(), this.explain(key, w, true), e, this.zones(key, e)));
        }
      }
      const v = this.value ? this.value(e) : null;
      this.windows.add(key, e.t, v === undefined ? null : (v as number | string), evidenceOf(e), span, w);
      const value = this.measure(w);
      if (value < this.bound) continue;
      // Fired early on its arrival: the alert stands already (and the events in order hold it now).
      const early = this.firedEarly.reached(key);
      const kind = w.open || early ? 'updated' : 'fired';
      w.open = true;
      (out ??= []).push(makeTransition(kind, this.rule, key, e.t, value, w.evidence(), this.explain(key, w, false), e, this.zones(key, e)));
    }
    return out;
  }

  /** What `onTime` is gathering, for `expired` (one callback made once: nothing made per sweep). */
  private sweepNow = 0;
  private sweepOut: AlertTransition[] | undefined;
  private readonly expired = (key: string, w: SlidingWindow): void => {
    if (!w.open) return;
    const value = this.measure(w);
    if (!(value < this.bound)) return;
    w.open = false;
    (this.sweepOut ??= []).push(makeTransition('resolved', this.rule, key, this.sweepNow, value, w.evidence(), this.explain(key, w, true), undefined, this.zones(key, undefined)));
  };

  onTime(now: number): AlertTransition[] | undefined {
    if (this.pending.size) this.pending.prune(now);
    this.sweepNow = now;
    this.sweepOut = undefined;
    this.windows.expire(now, this.rule.windowMs!, this.expired);
    if (this.firedEarly.size) this.unconfirmed(now);
    const out = this.sweepOut;
    this.sweepOut = undefined;
    return out;
  }

  /** Early firings the events in order went past without firing: resolved. */
  private unconfirmed(now: number): void {
    for (const key of this.firedEarly.unconfirmed(now)) {
      const w = this.windows.keys.get(key);
      const value = w ? this.measure(w) : 0;
      const explanation: Explanation = { ...this.explainValue(key, value, w?.count ?? 0, true), kind: 'threshold-unconfirmed', summary: `not confirmed once the events were evaluated in order: ${this.label} ${value} within ${this.windowText} (threshold ${this.bound})` };
      (this.sweepOut ??= []).push(makeTransition('resolved', this.rule, key, now, value, w?.evidence() ?? [], explanation, undefined, this.zones(key, undefined)));
    }
  }

  /** A new version of the rule takes the early firings of the one it replaces: resolved if its events in order do not confirm them. */
  adoptEarly(from: Runner): void {
    if (from instanceof ThresholdRunner) this.firedEarly.adopt(from.firedEarly);
  }

  nextDue() {
    return Math.min(this.windows.expiry.nextAt, this.firedEarly.earliest());
  }
  holds(key: string) { return this.windows.keys.get(key)?.open === true || this.firedEarly.has(key); }
  openKeys() { return this.windows.keys.size; }
  snapshot() { return this.firedEarly.beside(this.windows.snapshot()); }
  restore(s: unknown) {
    this.windows = KeyedWindows.from(s);
    this.firedEarly = EarlyFirings.from(s);
    this.pending.clear();
  }
}
