import type { AlertTransition, EvidenceRef, Explanation } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';
import { distanceMeters } from '../../geo/distance.ts';
import { compileFilter, compileGetter, type Predicate } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { durationText, formatDuration } from '../../language/duration.ts';
import type { SequenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { before } from '../reorder-buffer.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import type { Runner } from './runner.ts';

type Step = { ref: EvidenceRef; t: number; fields: Record<string, unknown> };
/** A sequence begun and not yet complete: the events of its first steps. */
type Partial = { start: number; group: string; location?: Location; steps: Step[] };
/** A sequence fired on arrival (`early: true`): the completing event's time, and what its resolution says if the events in order do not confirm it. */
type EarlyFiring = { t: number; evidence: EvidenceRef[]; zones: string[] };

/** The most partial sequences a rule holds; beyond it the oldest are dropped (and counted). */
export const MAX_PARTIALS = 50_000;

/**
 * `sequence`: steps in order within `within`, each (optionally) within `near` of the first
 * and sharing the `groupBy` key; an `unless` event with the same `same` field cancels the
 * sequences it concerns. A completed sequence fires on its key (the first event's); a further
 * completion of the same beginning updates it.
 */
export class SequenceRunner implements Runner {
  private partials: Partial[] = [];
  private readonly def: SequenceRuleDefinition;
  private readonly steps: Predicate[];
  private readonly unless?: Predicate;
  private readonly same?: (e: EventContext) => unknown;
  private readonly group: (e: EventContext) => string[];
  private completions = new Map<string, number>();
  /** `early: true`: the events arrived but not yet evaluated in order that concern the rule (time order). */
  private pending: EventContext[] = [];
  /** `early: true`: per key, a sequence fired on arrival that the events in order have not completed yet. */
  private firedEarly = new Map<string, EarlyFiring>();
  dropped = 0;

  constructor(private readonly rule: CompiledRule) {
    this.def = rule.definition as SequenceRuleDefinition;
    this.steps = this.def.steps.map((s) => compileFilter(s.where));
    if (this.def.unless) {
      this.unless = compileFilter(this.def.unless.where);
      if (this.def.unless.same) this.same = compileGetter(this.def.unless.same);
    }
    this.group = this.def.groupBy ? rule.keysOf : () => [''];
  }

  /** Whether the engine must show this rule the event (steps and unless, not `where`). */
  wants(e: EventContext): boolean {
    return this.steps.some((p) => p(e)) || (this.unless?.(e) ?? false);
  }

  private fieldsOf(e: EventContext): Record<string, unknown> {
    return this.same ? { same: this.same(e) } : {};
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    this.expire(now);
    if (this.pending.length) this.leavesPending(e);
    const { partials, completed } = this.advance(this.partials, e);
    this.partials = partials;
    if (this.partials.length > MAX_PARTIALS) {
      this.dropped += this.partials.length - MAX_PARTIALS;
      this.partials.splice(0, this.partials.length - MAX_PARTIALS);
    }
    return completed.length ? completed.map(([p, step]) => this.complete(p, step, e)) : undefined;
  }

  /**
   * One event, in time order, through `partials` (left as they are): the partials after it
   * (those an `unless` cancels gone, those it advances added, one it begins added), and the
   * sequences it completes.
   */
  private advance(partials: Partial[], e: EventContext): { partials: Partial[]; completed: [Partial, Step][] } {
    const within = this.rule.windowMs!;
    const near = this.rule.nearMeters;
    if (this.unless?.(e)) {
      const v = this.same?.(e);
      partials = partials.filter((p) => {
        if (p.start > e.t) return true;
        if (this.same && !p.steps.some((s) => s.fields.same !== undefined && String(s.fields.same) === String(v))) return true;
        if (near !== undefined && (!e.event.location || !p.location || distanceMeters(p.location, e.event.location) > near)) return true;
        return false; // cancelled
      });
    }
    const completed: [Partial, Step][] = [];
    const groups = this.group(e);
    const last = this.steps.length - 1;
    const added: Partial[] = [];
    for (const p of partials) {
      const next = p.steps.length;
      if (!this.steps[next]!(e) || e.t - p.start > within || e.t < p.steps[next - 1]!.t) continue;
      if (!groups.includes(p.group)) continue;
      if (near !== undefined && (!e.event.location || !p.location || distanceMeters(p.location, e.event.location) > near)) continue;
      const step = { ref: evidenceOf(e), t: e.t, fields: this.fieldsOf(e) };
      if (next === last) completed.push([p, step]);
      else added.push({ ...p, steps: [...p.steps, step] });
    }
    if (this.steps[0]!(e) && (near === undefined || e.event.location)) {
      for (const group of groups) added.push({ start: e.t, group, location: e.event.location, steps: [{ ref: evidenceOf(e), t: e.t, fields: this.fieldsOf(e) }] });
    }
    return { partials: added.length ? [...partials, ...added] : partials, completed };
  }

  /**
   * `early: true`: an event of the last step completes, with the events known (the partials
   * of the events in order, then the events arrived before it, in time order), sequences no
   * alert covers yet: each fires now. In order, its completion is then an update; an `unless`
   * arriving late that cancels it there leaves it unconfirmed (resolved once past).
   */
  onArrival(e: EventContext, released: number, remember = false): AlertTransition[] | undefined {
    if (!this.def.early) return undefined;
    while (this.pending.length && this.pending[0]!.t <= released) this.pending.shift();
    if (!this.wants(e)) return undefined;
    // In the engine's order (time, then source and id): the dry run takes what comes before it in order.
    let i = this.pending.length;
    while (i > 0 && before(e, this.pending[i - 1]!)) i--;
    this.pending.splice(i, 0, e);
    if (remember || !this.steps[this.steps.length - 1]!(e)) return undefined;
    const within = this.rule.windowMs!;
    let partials = this.partials.filter((p) => e.t - p.start <= within);
    for (let k = 0; k < i; k++) partials = this.advance(partials, this.pending[k]!).partials;
    let out: AlertTransition[] | undefined;
    for (const [p, step] of this.advance(partials, e).completed) {
      const key = this.keyOf(p);
      if (this.completions.has(key) || this.firedEarly.has(key)) continue;
      const t = this.transition('fired', p, step, e, 1, true);
      this.firedEarly.set(key, { t: e.t, evidence: t.evidence, zones: t.zones });
      (out ??= []).push(t);
    }
    return out;
  }

  /** The event, evaluated in order, leaves the arrived ones. */
  private leavesPending(e: EventContext): void {
    const i = this.pending.indexOf(e);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** A sequence's key: its first event's (under its group's when grouped). */
  private keyOf(p: Partial): string {
    const first = p.steps[0]!.ref;
    return this.def.groupBy ? `${p.group}/${first.source}/${first.id}` : `${first.source}/${first.id}`;
  }

  private complete(p: Partial, step: Step, e: EventContext): AlertTransition {
    const key = this.keyOf(p);
    const n = (this.completions.get(key) ?? 0) + 1;
    this.completions.set(key, n);
    // Fired on its arrival: the alert stands already (and the events in order hold it now).
    const early = this.firedEarly.size !== 0 && this.firedEarly.delete(key);
    return this.transition(n === 1 && !early ? 'fired' : 'updated', p, step, e, n, false);
  }

  private transition(kind: 'fired' | 'updated', p: Partial, step: Step, e: EventContext, n: number, early: boolean): AlertTransition {
    const steps = [...p.steps, step];
    const numbers: Record<string, number | string> = {
      steps: this.def.steps.map((s, i) => `${s.as} ${steps[i]!.ref.type}`).join(' → '),
      duration: formatDuration(Math.max(0, step.t - p.start)) || '0s',
    };
    if (p.location && e.event.location) numbers.distanceMeters = Math.round(distanceMeters(p.location, e.event.location));
    const extra: Record<string, string | undefined> = {};
    this.def.steps.forEach((s, i) => {
      extra[`${s.as}.time`] = steps[i]!.ref.time;
      extra[`${s.as}.type`] = steps[i]!.ref.type;
    });
    const explanation = {
      kind: early ? ('sequence-early' as const) : ('sequence' as const),
      summary: `${this.def.steps.map((s, i) => `${s.as} ${steps[i]!.ref.type}`).join(', then ')}, within ${durationText(String(numbers.duration))}${numbers.distanceMeters !== undefined ? ` and ${numbers.distanceMeters} m` : ''}${early ? ', on arrival (before late events could come)' : ''}`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers,
    };
    return makeTransition(kind, this.rule, this.keyOf(p), e.t, n, steps.map((s) => s.ref), explanation, e, e.zones, extra);
  }

  private expire(now: number): void {
    const within = this.rule.windowMs!;
    if (this.partials.length && now - this.partials[0]!.start > within) this.partials = this.partials.filter((p) => now - p.start <= within);
  }

  onTime(now: number): AlertTransition[] | undefined {
    this.expire(now);
    // Arrivals the watermark passed without their coming in order (the rules or the zones changed meanwhile).
    while (this.pending.length && this.pending[0]!.t <= now) this.pending.shift();
    if (this.completions.size > MAX_PARTIALS) this.completions.clear();
    return this.firedEarly.size ? this.unconfirmed(now) : undefined;
  }

  /** Early firings the events in order went past without completing them (an `unless` came late): resolved. */
  private unconfirmed(now: number): AlertTransition[] | undefined {
    let out: AlertTransition[] | undefined;
    for (const [key, early] of this.firedEarly) {
      if (early.t > now) continue;
      this.firedEarly.delete(key);
      const explanation: Explanation = {
        kind: 'sequence-unconfirmed',
        summary: 'not confirmed once the events were evaluated in order (an event that cancels the sequence came late)',
        conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
        numbers: {},
      };
      (out ??= []).push(makeTransition('resolved', this.rule, key, now, 0, early.evidence, explanation, undefined, early.zones));
    }
    return out;
  }

  // No `adoptEarly`: a new version of the rule starts without the partial sequences of the one it
  // replaces, so it could not confirm a sequence begun hours before; an alert fired early stands
  // (were the new version to complete it in order too, the firing holds no new event: nothing changes).


  openKeys() { return this.partials.length; }
  snapshot() {
    const base = { partials: this.partials, completions: Object.fromEntries(this.completions) };
    return this.firedEarly.size ? { ...base, firedEarly: Object.fromEntries(this.firedEarly) } : base;
  }
  restore(s: unknown) {
    const st = s as { partials?: Partial[]; completions?: Record<string, number>; firedEarly?: Record<string, EarlyFiring> };
    this.partials = st.partials ?? [];
    this.completions = new Map(Object.entries(st.completions ?? {}));
    this.firedEarly = new Map(Object.entries(st.firedEarly ?? {}));
    this.pending = [];
  }
}
