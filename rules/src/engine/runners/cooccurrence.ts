import type { AlertTransition } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';
import { PointGrid } from '../../geo/point-grid.ts';
import { distanceMeters } from '../../geo/distance.ts';
import { compileGetter } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { CooccurrenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import type { Runner } from './runner.ts';

type Seen = { t: number; location: Location; value: string; ref: ReturnType<typeof evidenceOf> };
/** An open cluster: where it was first seen and when it was last fed. */
type Anchor = { key: string; location: Location; lastAt: number; count: number };

/**
 * `cooccurrence`: at least `min` distinct values of `distinct` (e.g. sources) among the
 * matching events within `within` and `near` of each other. A cluster keeps one key while it
 * is fed; it resolves once nothing fed it for `within`.
 */
export class CooccurrenceRunner implements Runner {
  private recent: PointGrid<Seen>;
  private expiry = new ExpiryQueue<number>();
  private anchors: Anchor[] = [];
  private readonly def: CooccurrenceRuleDefinition;
  private readonly value: (e: EventContext) => unknown;

  constructor(private readonly rule: CompiledRule) {
    this.def = rule.definition as CooccurrenceRuleDefinition;
    this.value = compileGetter(this.def.distinct);
    this.recent = new PointGrid(rule.nearMeters!);
  }

  private prune(now: number) {
    const within = this.rule.windowMs!;
    this.expiry.popDue(now, (cell) => this.recent.dropOldest(cell, (s) => now - s.t >= within));
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const loc = e.event.location;
    const v = this.value(e);
    if (!loc || v === undefined || v === null) return undefined;
    const within = this.rule.windowMs!, near = this.rule.nearMeters!;
    const seen: Seen = { t: e.t, location: loc, value: String(v), ref: evidenceOf(e) };
    this.expiry.push(e.t + within, this.recent.add(seen));
    const around = this.recent.near(loc, near).filter((s) => Math.abs(e.t - s.t) < within);
    const values = new Set(around.map((s) => s.value));
    if (values.size < this.def.min) return undefined;
    around.sort((a, b) => a.t - b.t);
    let anchor = this.anchors.find((a) => distanceMeters(a.location, loc) <= near && e.t - a.lastAt < within);
    const kind = anchor ? 'updated' : 'fired';
    if (!anchor) {
      const first = around[0]!.ref;
      anchor = { key: `${first.source}/${first.id}`, location: around[0]!.location, lastAt: e.t, count: 0 };
      this.anchors.push(anchor);
    }
    anchor.lastAt = e.t;
    anchor.count = values.size;
    const span = around[around.length - 1]!.t - around[0]!.t;
    const maxDistance = Math.max(...around.map((s) => distanceMeters(anchor!.location, s.location)));
    const explanation = {
      kind: 'cooccurrence' as const,
      summary: `${values.size} distinct ${this.def.distinct} (${[...values].sort().join(', ')}) within ${formatDuration(span) || '0s'} and ${Math.round(maxDistance)} m`,
      conditions: this.rule.conditions,
      numbers: { distinct: values.size, min: this.def.min, events: around.length, spanSeconds: Math.round(span / 1000), maxDistanceMeters: Math.round(maxDistance) },
    };
    void now;
    return [makeTransition(kind, this.rule, anchor.key, e.t, values.size, around.map((s) => s.ref), explanation, e, e.zones)];
  }

  onTime(now: number): AlertTransition[] | undefined {
    this.prune(now);
    let out: AlertTransition[] | undefined;
    const within = this.rule.windowMs!;
    this.anchors = this.anchors.filter((a) => {
      if (now - a.lastAt < within) return true;
      const explanation = { kind: 'cooccurrence-cleared' as const, summary: `quiet for ${formatDuration(within)}`, conditions: this.rule.conditions, numbers: { distinct: a.count } };
      (out ??= []).push(makeTransition('resolved', this.rule, a.key, now, a.count, [], explanation, undefined, []));
      return false;
    });
    return out;
  }

  openKeys() { return this.anchors.length + this.recent.size; }
  snapshot() { return { recent: this.recent.all(), anchors: this.anchors }; }
  restore(s: unknown) {
    const st = s as { recent?: Seen[]; anchors?: Anchor[] };
    this.recent = new PointGrid(this.rule.nearMeters!);
    this.expiry = new ExpiryQueue<number>();
    for (const r of (st.recent ?? []).sort((a, b) => a.t - b.t)) this.expiry.push(r.t + this.rule.windowMs!, this.recent.add(r));
    this.anchors = st.anchors ?? [];
  }
}
