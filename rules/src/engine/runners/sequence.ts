import type { AlertTransition, EvidenceRef } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';
import { distanceMeters } from '../../geo/distance.ts';
import { compileFilter, compileGetter, type Predicate } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { SequenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import type { Runner } from './runner.ts';

/** A sequence begun and not yet complete: the events of its first steps. */
type Partial = { start: number; group: string; location?: Location; steps: { ref: EvidenceRef; t: number; fields: Record<string, unknown> }[] };

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
    const within = this.rule.windowMs!;
    const near = this.rule.nearMeters;
    this.expire(now);
    if (this.unless?.(e)) {
      const v = this.same?.(e);
      this.partials = this.partials.filter((p) => {
        if (p.start > e.t) return true;
        if (this.same && !p.steps.some((s) => s.fields.same !== undefined && String(s.fields.same) === String(v))) return true;
        if (near !== undefined && (!e.event.location || !p.location || distanceMeters(p.location, e.event.location) > near)) return true;
        return false; // cancelled
      });
    }
    let out: AlertTransition[] | undefined;
    const groups = this.group(e);
    const last = this.steps.length - 1;
    const advanced: Partial[] = [];
    for (const p of this.partials) {
      const next = p.steps.length;
      if (!this.steps[next]!(e) || e.t - p.start > within || e.t < p.steps[next - 1]!.t) continue;
      if (!groups.includes(p.group)) continue;
      if (near !== undefined && (!e.event.location || !p.location || distanceMeters(p.location, e.event.location) > near)) continue;
      const step = { ref: evidenceOf(e), t: e.t, fields: this.fieldsOf(e) };
      if (next === last) (out ??= []).push(this.complete(p, step, e));
      else advanced.push({ ...p, steps: [...p.steps, step] });
    }
    this.partials.push(...advanced);
    if (this.steps[0]!(e) && (near === undefined || e.event.location)) {
      for (const group of groups) {
        this.partials.push({ start: e.t, group, location: e.event.location, steps: [{ ref: evidenceOf(e), t: e.t, fields: this.fieldsOf(e) }] });
      }
    }
    if (this.partials.length > MAX_PARTIALS) {
      this.dropped += this.partials.length - MAX_PARTIALS;
      this.partials.splice(0, this.partials.length - MAX_PARTIALS);
    }
    return out;
  }

  private complete(p: Partial, step: Partial['steps'][number], e: EventContext): AlertTransition {
    const steps = [...p.steps, step];
    const first = steps[0]!.ref;
    const key = this.def.groupBy ? `${p.group}/${first.source}/${first.id}` : `${first.source}/${first.id}`;
    const n = (this.completions.get(key) ?? 0) + 1;
    this.completions.set(key, n);
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
      kind: 'sequence' as const,
      summary: `${this.def.steps.map((s, i) => `${s.as} ${steps[i]!.ref.type}`).join(', then ')}, within ${numbers.duration}${numbers.distanceMeters !== undefined ? ` and ${numbers.distanceMeters} m` : ''}`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers,
    };
    return makeTransition(n === 1 ? 'fired' : 'updated', this.rule, key, e.t, n, steps.map((s) => s.ref), explanation, e, e.zones, extra);
  }

  private expire(now: number): void {
    const within = this.rule.windowMs!;
    if (this.partials.length && now - this.partials[0]!.start > within) this.partials = this.partials.filter((p) => now - p.start <= within);
  }

  onTime(now: number): undefined {
    this.expire(now);
    if (this.completions.size > MAX_PARTIALS) this.completions.clear();
    return undefined;
  }

  openKeys() { return this.partials.length; }
  snapshot() { return { partials: this.partials, completions: Object.fromEntries(this.completions) }; }
  restore(s: unknown) {
    const st = s as { partials?: Partial[]; completions?: Record<string, number> };
    this.partials = st.partials ?? [];
    this.completions = new Map(Object.entries(st.completions ?? {}));
  }
}
