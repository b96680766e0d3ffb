import type { AlertTransition, Explanation } from '../../domain/alert.ts';
import { expectedCount, type Baseline } from '../../baseline/baseline.ts';
import { poissonTail } from '../../baseline/poisson.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { AnomalyRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf, MAX_EVIDENCE } from '../evidence.ts';
import { hourOfWeek, localClock } from '../local-time.ts';
import { makeTransition } from '../transition.ts';
import { Arrivals, EarlyFirings, mergeByTime, windowReaching, type EarlyEntry } from './early-window.ts';
import type { Runner } from './runner.ts';
import { KeyedWindows, type SlidingWindow } from './window.ts';

/**
 * `anomaly`: the count in the window per group against the baseline for this hour of the
 * week; fires when the Poisson tail probability is below `pValue` and the count reaches
 * `minCount`. Without a baseline it never fires (the engine reports the rule as waiting).
 */
export class AnomalyRunner implements Runner {
  private windows = new KeyedWindows();
  /** `early: true`: per key, the events arrived but not yet evaluated in order. */
  private pending = new Arrivals();
  /** `early: true`: keys fired on arrival that the events in order have not fired yet, with the time of the window's last event. */
  private firedEarly = new EarlyFirings();
  private readonly windowText: string;
  private readonly def: AnomalyRuleDefinition;
  private readonly byZone: boolean;

  constructor(private readonly rule: CompiledRule, private readonly baseline: () => Baseline | undefined, private readonly timeZone: string) {
    this.windowText = formatDuration(rule.windowMs!);
    this.def = rule.definition as AnomalyRuleDefinition;
    this.byZone = rule.groupBy?.startsWith('zone') ?? false;
  }

  private assess(key: string, w: SlidingWindow, how: number) {
    return this.assessCount(key, w.count, how);
  }

  private assessCount(key: string, count: number, how: number) {
    const b = this.baseline();
    if (!b) return undefined;
    const expected = expectedCount(b, key, how, this.rule.windowMs!);
    const p = poissonTail(count, expected);
    return { expected, p, anomalous: p < this.def.pValue && count >= this.def.minCount };
  }

  private explain(key: string, count: number, a: { expected: number; p: number }, cleared: boolean, early = false): Explanation {
    const window = this.windowText;
    const expected = Math.round(a.expected * 100) / 100;
    return {
      kind: cleared ? 'anomaly-cleared' : early ? 'anomaly-early' : 'anomaly',
      summary: cleared
        ? `back to usual: ${count} within ${window} for ${key}, about ${expected} expected`
        : `${count} events within ${window} for ${this.rule.groupBy} ${key} where about ${expected} are usual at this hour of the week (p = ${a.p.toExponential(2)} < ${this.def.pValue})${early ? ', on arrival (before late events could come)' : ''}`,
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

  /**
   * `early: true`: the event joins its keys' arrived events; a key not open where a window
   * ending at an arrived event holds a count unlikely for that hour of the week fires now. The
   * events in order reach that window too (late events only raise its count, which only
   * lowers its probability): their firing becomes an update.
   */
  onArrival(e: EventContext, released: number, remember = false): AlertTransition[] | undefined {
    if (!this.def.early) return undefined;
    const span = this.rule.windowMs!;
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      if (this.temporary(key, e)) continue;
      const list = this.pending.add(key, { t: e.t, v: null, ref: evidenceOf(e), e }, released);
      if (remember) continue;
      const w = this.windows.keys.get(key);
      if (w?.open || this.firedEarly.has(key) || !this.baseline()) continue;
      const known = w ? mergeByTime<EarlyEntry>(w.entries(), list) : list;
      // Windows ending at an event evaluated in order were judged then.
      const how = (last: EarlyEntry) => hourOfWeek(localClock(last.t, this.timeZone));
      const reached = windowReaching(known, span, this.def.minCount, false, (count, last) => last.t > released && this.assessCount(key, count, how(last))!.anomalous);
      if (!reached) continue;
      const last = reached[reached.length - 1]!, count = reached.length;
      const a = this.assessCount(key, count, how(last))!;
      this.firedEarly.add(key, last.t);
      (out ??= []).push(makeTransition('fired', this.rule, key, e.t, count, reached.map((x) => x.ref).slice(-MAX_EVIDENCE), this.explain(key, count, a, false, true), e, this.zones(key, e)));
    }
    return out;
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const span = this.rule.windowMs!;
    if (e.t <= now - span) return undefined;
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      if (this.temporary(key, e)) continue;
      if (this.pending.size) this.pending.leave(key, e);
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
      // Fired early on its arrival: the alert stands already (and the events in order hold it now).
      const early = this.firedEarly.reached(key);
      const kind = w.open || early ? 'updated' : 'fired';
      w.open = true;
      (out ??= []).push(makeTransition(kind, this.rule, key, e.t, w.count, w.evidence(), this.explain(key, w.count, a, false), e, this.zones(key, e)));
    }
    return out;
  }

  onTime(now: number): AlertTransition[] | undefined {
    if (this.pending.size) this.pending.prune(now);
    let out: AlertTransition[] | undefined = this.firedEarly.size ? this.unconfirmed(now) : undefined;
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

  /** Early firings the events in order went past without firing (an upload slid the window, the baseline changed): resolved. */
  private unconfirmed(now: number): AlertTransition[] | undefined {
    let out: AlertTransition[] | undefined;
    for (const key of this.firedEarly.unconfirmed(now)) {
      const w = this.windows.keys.get(key);
      const explanation: Explanation = {
        kind: 'anomaly-unconfirmed',
        summary: `not confirmed once the events were evaluated in order: ${w?.count ?? 0} within ${this.windowText} for ${key}`,
        conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
        numbers: { count: w?.count ?? 0, window: this.windowText, groupBy: this.rule.groupBy ?? '', key },
      };
      (out ??= []).push(makeTransition('resolved', this.rule, key, now, w?.count ?? 0, w?.evidence() ?? [], explanation, undefined, this.zones(key, undefined)));
    }
    return out;
  }

  /** A new version of the rule takes the early firings of the one it replaces: resolved if its events in order do not confirm them. */
  adoptEarly(from: Runner): void {
    if (from instanceof AnomalyRunner) this.firedEarly.adopt(from.firedEarly);
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
