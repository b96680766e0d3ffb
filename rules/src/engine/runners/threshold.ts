import type { AlertTransition, Explanation } from '../../domain/alert.ts';
import { compileGetter } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { ThresholdRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import type { Runner } from './runner.ts';
import { KeyedWindows, type SlidingWindow } from './window.ts';

/** `threshold`: count (or sum, or distinct values) per key over a sliding window; fires at the bound, resolves back under. */
export class ThresholdRunner implements Runner {
  private windows = new KeyedWindows();
  private readonly windowText: string;
  private readonly def: ThresholdRuleDefinition;
  private readonly measure: (w: SlidingWindow) => number;
  private readonly bound: number;
  private readonly value: ((e: EventContext) => unknown) | undefined;
  private readonly label: string;

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
  }

  private explain(key: string, w: SlidingWindow, cleared: boolean): Explanation {
    const value = this.measure(w);
    const window = this.windowText;
    return {
      kind: cleared ? 'threshold-cleared' : 'threshold',
      summary: cleared
        ? `back under the threshold: ${this.label} ${value} within ${window} (threshold ${this.bound})`
        : `${this.label} ${value} within ${window} for ${this.rule.groupBy} ${key} (threshold ${this.bound})`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { count: value, threshold: this.bound, window, groupBy: this.rule.groupBy ?? '', key, events: w.count },
    };
  }

  private zones(key: string, e: EventContext | undefined) {
    return this.rule.groupBy?.startsWith('zone') ? [key] : e?.zones ?? [];
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const span = this.rule.windowMs!;
    if (e.t <= now - span) return undefined; // already outside every window
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
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
      const kind = w.open ? 'updated' : 'fired';
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
    this.sweepNow = now;
    this.sweepOut = undefined;
    this.windows.expire(now, this.rule.windowMs!, this.expired);
    const out = this.sweepOut;
    this.sweepOut = undefined;
    return out;
  }

  nextDue() { return this.windows.expiry.nextAt; }
  openKeys() { return this.windows.keys.size; }
  snapshot() { return this.windows.snapshot(); }
  restore(s: unknown) { this.windows = KeyedWindows.from(s); }
}
