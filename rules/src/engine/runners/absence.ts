import type { AlertTransition, Explanation } from '../../domain/alert.ts';
import { expectedCount, type Baseline } from '../../baseline/baseline.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration, parseDuration } from '../../language/duration.ts';
import type { AbsenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { hourOfWeek, localClock } from '../local-time.ts';
import { makeTransition } from '../transition.ts';
import { mapToObject, objectToMap, type Runner } from './runner.ts';
import type { EvidenceRef } from '../../domain/alert.ts';

type KeyState = { lastAt: number; open: boolean; last?: EvidenceRef };

/**
 * `absence`: no matching event for `for` per key (a feed gone silent). With `for: auto` the
 * gap is judged against the hour-of-week rate: it fires once P(no event over the gap) falls
 * below `pValue` (and the gap is at least `minFor`). The next event resolves it.
 */
export class AbsenceRunner implements Runner {
  private keys = new Map<string, KeyState>();
  private readonly def: AbsenceRuleDefinition;
  private readonly minFor: number;
  private started: number | undefined;

  constructor(private readonly rule: CompiledRule, private readonly baseline: () => Baseline | undefined, private readonly timeZone: string) {
    this.def = rule.definition as AbsenceRuleDefinition;
    this.minFor = parseDuration(this.def.minFor) ?? 300_000;
  }

  private explain(key: string, gap: number, expected: number | undefined, cleared: boolean): Explanation {
    const g = formatDuration(Math.round(gap / 1000) * 1000) || '0s';
    return {
      kind: cleared ? 'absence-cleared' : 'absence',
      summary: cleared
        ? `${key} is back after ${g}`
        : `nothing from ${this.rule.groupBy} ${key} for ${g}${expected !== undefined ? ` where about ${Math.round(expected * 10) / 10} events are usual` : ''}`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { gap: g, key, groupBy: this.rule.groupBy ?? '', ...(expected !== undefined ? { expected: Math.round(expected * 100) / 100 } : {}) },
    };
  }

  /** Whether a gap of `gap` ms ending at `at` is a silence; the expected count when adaptive. */
  private judge(key: string, gap: number, at: number): { silent: boolean; expected?: number } {
    if (this.def.for !== 'auto') return { silent: gap >= this.rule.windowMs! };
    const b = this.baseline();
    if (!b || gap < this.minFor) return { silent: false };
    const expected = expectedCount(b, key, hourOfWeek(localClock(at, this.timeZone)), gap);
    return { silent: Math.exp(-expected) < this.def.pValue, expected };
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    let out: AlertTransition[] | undefined;
    for (const key of this.rule.keysOf(e)) {
      const s = this.keys.get(key);
      if (s && !s.open && e.t > s.lastAt) {
        // A silence that no sweep saw (they come at their own pace): it happened all the same.
        const j = this.judge(key, e.t - s.lastAt, e.t);
        if (j.silent) {
          (out ??= []).push(makeTransition('fired', this.rule, key, e.t, 0, s.last ? [s.last] : [], this.explain(key, e.t - s.lastAt, j.expected, false), undefined, this.rule.groupBy?.startsWith('zone') ? [key] : []));
          s.open = true;
        }
      }
      if (s?.open) {
        (out ??= []).push(makeTransition('resolved', this.rule, key, e.t, 0, [evidenceOf(e)], this.explain(key, e.t - s.lastAt, undefined, true), e, e.zones));
      }
      if (!s || e.t >= s.lastAt) this.keys.set(key, { lastAt: e.t, open: false, last: evidenceOf(e) });
      else s.open = false;
    }
    void now;
    return out;
  }

  onTime(now: number): AlertTransition[] | undefined {
    this.started ??= now;
    for (const key of this.def.expect ?? []) if (!this.keys.has(key)) this.keys.set(key, { lastAt: this.started, open: false });
    let out: AlertTransition[] | undefined;
    for (const [key, s] of this.keys) {
      if (s.open) continue;
      const gap = now - s.lastAt;
      const j = this.judge(key, gap, now);
      if (!j.silent) continue;
      s.open = true;
      (out ??= []).push(makeTransition('fired', this.rule, key, now, 0, s.last ? [s.last] : [], this.explain(key, gap, j.expected, false), undefined, this.rule.groupBy?.startsWith('zone') ? [key] : []));
    }
    return out;
  }

  /**
   * A silence an alert (of an earlier version of the rule) holds, that began before the events
   * this state is rebuilt from (`since`: its last event): open, so that the key's next event ends it.
   */
  adoptSilence(key: string, since: number): void {
    if (!this.keys.has(key)) this.keys.set(key, { lastAt: since, open: true });
  }

  openKeys() { return this.keys.size; }
  snapshot() { return { keys: mapToObject(this.keys), started: this.started ?? null }; }
  restore(s: unknown) {
    const st = s as { keys?: Record<string, KeyState>; started?: number | null };
    this.keys = objectToMap(st.keys);
    this.started = st.started ?? undefined;
  }
}
