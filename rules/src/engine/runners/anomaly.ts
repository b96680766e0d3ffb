import type { AlertTransition, Explanation } from '../../domain/alert.ts';
import { expectedCount, type Baseline } from '../../baseline/baseline.ts';
import { poissonTail } from '../../baseline/poisson.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { AnomalyRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { hourOfWeek, localClock } from '../local-time.ts';
import { makeTransition } from '../transition.ts';
import type { Runner } from './runner.ts';
import { KeyedWindows, type SlidingWindow } from './window.ts';

/**
 * `anomaly`: the count in the window per group against the baseline for this hour of the
 * week; fires when the Poisson tail probability is below `pValue` and the count reaches
 * `minCount`. Without a baseline it never fires (the engine reports the rule as waiting).
 */
export class AnomalyRunner implements Runner {
  private windows = new KeyedWindows();
  private readonly windowText: string;
  private readonly def: AnomalyRuleDefinition;
  private readonly byZone: boolean;

  constructor(private readonly rule: CompiledRule, private readonly baseline: () => Baseline | undefined, private readonly timeZone: string) {
    this.windowText = formatDuration(rule.windowMs!);
    this.def = rule.definition as AnomalyRuleDefinition;
    this.byZone = rule.groupBy?.startsWith('zone') ?? false;
  }

  private assess(key: string, w: SlidingWindow, how: number) {
    const b = this.baseline();
    if (!b) return undefined;
    const expected = expectedCount(b, key, how, this.rule.windowMs!);
    const p = poissonTail(w.count, expected);
    return { expected, p, anomalous: p < this.def.pValue && w.count >= this.def.minCount };
  }

  private explain(key: string, count: number, a: { expected: number; p: number }, cleared: boolean): Explanation {
    const window = this.windowText;
    const expected = Math.round(a.expected * 100) / 100;
    return {
      kind: cleared ? 'anomaly-cleared' : 'anomaly',
      summary: cleared
        ? `back to usual: ${count} within ${window} for ${key}, about ${expected} expected`
        : `${count} events within ${window} for ${this.rule.groupBy} ${key} where about ${expected} are usual at this hour of the week (p = ${a.p.toExponential(2)} < ${this.def.pValue})`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { count, expected, pValue: Number(a.p.toExponential(3)), threshold: this.def.pValue, window, groupBy: this.rule.groupBy ?? '', key },
    };
  }

  private zones(key: string, e: EventContext | undefined) {
    return this.rule.groupBy?.startsWith('zone') ? [key] : e?.zones ?? [];
  }

  /**
   * A temporary zone (a warning's area, for its span) has no history of its own by nature:
   * judged against the city's usual rate per zone, a large warning area over downtown would
   * always look unusual. Like any group without a baseline, it raises no anomaly alert.
   */
  private temporary(key: string, e: EventContext): boolean {
    return this.byZone && e.cityZones.get(key)?.expiresAt !== undefined;
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const span = this.rule.windowMs!;
    if (e.t <= now - span) return undefined;
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      if (this.temporary(key, e)) continue;
      const w = this.windows.get(key);
      w.evict(Math.max(now, e.t), span);
      const how = hourOfWeek(e.local);
      if (w.open) {
        const before = this.assess(key, w, how);
        if (!before?.anomalous) {
          w.open = false;
          (out ??= []).push(makeTransition('resolved', this.rule, key, e.t, w.count, w.evidence(), this.explain(key, w.count, before ?? { expected: 0, p: 1 }, true), e, this.zones(key, e)));
        }
      }
      this.windows.add(key, e.t, null, evidenceOf(e), span, w);
      if (w.count < this.def.minCount) continue;
      const a = this.assess(key, w, how);
      if (!a?.anomalous) continue;
      const kind = w.open ? 'updated' : 'fired';
      w.open = true;
      (out ??= []).push(makeTransition(kind, this.rule, key, e.t, w.count, w.evidence(), this.explain(key, w.count, a, false), e, this.zones(key, e)));
    }
    return out;
  }

  onTime(now: number): AlertTransition[] | undefined {
    let out: AlertTransition[] | undefined;
    let how: number | undefined;
    this.windows.expire(now, this.rule.windowMs!, (key, w) => {
      if (!w.open) return;
      how ??= hourOfWeek(localClock(now, this.timeZone));
      const a = this.assess(key, w, how);
      if (!a || !a.anomalous) {
        w.open = false;
        (out ??= []).push(makeTransition('resolved', this.rule, key, now, w.count, w.evidence(), this.explain(key, w.count, a ?? { expected: 0, p: 1 }, true), undefined, this.zones(key, undefined)));
      }
    });
    return out;
  }

  nextDue() { return this.windows.expiry.nextAt; }
  openKeys() { return this.windows.keys.size; }
  snapshot() { return this.windows.snapshot(); }
  restore(s: unknown) { this.windows = KeyedWindows.from(s); }
}
