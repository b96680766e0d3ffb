import type { AlertTransition } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';
import { PointGrid } from '../../geo/point-grid.ts';
import { cosLat, distanceMeters, haversineLimit, withinMeters, type HaversineLimit } from '../../geo/distance.ts';
import { compileGetter } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { CooccurrenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import type { Runner } from './runner.ts';

type LatLon = { lat: number; lon: number };
const byTime = (a: { t: number }, b: { t: number }) => a.t - b.t;
/** A recent event; `lat`, `lon` and `cos` (its latitude's cosine) are copies kept beside `t` for the neighbour search (not in snapshots). */
type Seen = { t: number; location: Location; value: string; ref: ReturnType<typeof evidenceOf>; lat?: number; lon?: number; cos?: number };
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
  private readonly limit: HaversineLimit;
  /** Reused between events: the seen events around the current one, and their distinct values. */
  private around: Seen[] = [];
  private values: string[] = [];
  /** Reused between events: the lists of the nine cells around the current one (the first few: as many as `gather` found). */
  private lists: (readonly Seen[])[] = [];

  constructor(private readonly rule: CompiledRule) {
    this.def = rule.definition as CooccurrenceRuleDefinition;
    this.value = compileGetter(this.def.distinct);
    this.recent = new PointGrid(rule.nearMeters!);
    this.limit = haversineLimit(rule.nearMeters!);
  }

  /**
   * The seen events within `near` and `within` of the event, in the grid's order, and their
   * distinct values (first seen first). When the nine cells hold fewer than `min` events in all,
   * none is read: fewer than `min` values can be found there (`values` is left empty).
   */
  private gather(t: number, loc: Location, cos: number): void {
    const within = this.rule.windowMs!, near = this.rule.nearMeters!, limit = this.limit;
    const around = this.around, values = this.values, lists = this.lists;
    // Emptied only when not empty (setting an array's length is a call of its own).
    if (around.length !== 0) around.length = 0;
    if (values.length !== 0) values.length = 0;
    const i = this.recent.row(loc.lat), j = this.recent.col(loc.lon);
    let held = 0, n = 0;
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        const list = this.recent.cellItems(i + di, j + dj);
        if (!list) continue;
        lists[n++] = list;
        held += list.length;
      }
    }
    if (held < this.def.min) return;
    for (let c = 0; c < n; c++) {
      const list = lists[c]!;
      for (let k = 0; k < list.length; k++) {
        const s = list[k]!;
        if (!(Math.abs(t - s.t) < within)) continue;
        if (s.cos === undefined) this.inline(s);
        if (!withinMeters(loc, cos, s as LatLon, s.cos!, near, limit)) continue;
        around.push(s);
        if (!values.includes(s.value)) values.push(s.value);
      }
    }
  }

  /** Copies the position beside the time (a seen event restored from a snapshot). */
  private inline(s: Seen): void {
    s.lat = s.location.lat;
    s.lon = s.location.lon;
    s.cos = cosLat(s.location.lat);
  }

  /** The time `prune` drops up to, and its callbacks (made once: nothing made per sweep). */
  private pruneNow = 0;
  private readonly expired = (s: Seen): boolean => this.pruneNow - s.t >= this.rule.windowMs!;
  private readonly dropExpired = (cell: number): void => this.recent.dropOldest(cell, this.expired);

  private prune(now: number) {
    this.pruneNow = now;
    this.expiry.popDue(now, this.dropExpired);
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    const loc = e.event.location;
    const v = this.value(e);
    if (!loc || v === undefined || v === null) return undefined;
    const within = this.rule.windowMs!, near = this.rule.nearMeters!;
    const cos = e.cosLat;
    const seen: Seen = { t: e.t, location: loc, value: String(v), ref: evidenceOf(e), lat: loc.lat, lon: loc.lon, cos };
    this.expiry.push(e.t + within, this.recent.add(seen));
    this.gather(e.t, loc, cos);
    const values = this.values;
    if (values.length < this.def.min) return undefined;
    const around = this.around.sort(byTime);
    let anchor: Anchor | undefined;
    for (const a of this.anchors) {
      if (e.t - a.lastAt < within && distanceMeters(a.location, loc) <= near) {
        anchor = a;
        break;
      }
    }
    const kind = anchor ? 'updated' : 'fired';
    if (!anchor) {
      const first = around[0]!.ref;
      anchor = { key: `${first.source}/${first.id}`, location: around[0]!.location, lastAt: e.t, count: 0 };
      this.anchors.push(anchor);
    }
    anchor.lastAt = e.t;
    anchor.count = values.length;
    const span = around[around.length - 1]!.t - around[0]!.t;
    let maxDistance = -Infinity;
    const evidence = new Array<Seen['ref']>(around.length);
    for (let k = 0; k < around.length; k++) {
      maxDistance = Math.max(maxDistance, distanceMeters(anchor.location, around[k]!.location));
      evidence[k] = around[k]!.ref;
    }
    const explanation = {
      kind: 'cooccurrence' as const,
      summary: `${values.length} distinct ${this.def.distinct} (${values.slice().sort().join(', ')}) within ${formatDuration(span) || '0s'} and ${Math.round(maxDistance)} m`,
      conditions: this.rule.conditions,
      numbers: { distinct: values.length, min: this.def.min, events: around.length, spanSeconds: Math.round(span / 1000), maxDistanceMeters: Math.round(maxDistance) },
    };
    void now;
    return [makeTransition(kind, this.rule, anchor.key, e.t, values.length, evidence, explanation, e, e.zones)];
  }

  onTime(now: number): AlertTransition[] | undefined {
    this.prune(now);
    let out: AlertTransition[] | undefined;
    const within = this.rule.windowMs!;
    let due = false;
    for (const a of this.anchors) if (now - a.lastAt >= within) { due = true; break; }
    if (!due) return out;
    this.anchors = this.anchors.filter((a) => {
      if (now - a.lastAt < within) return true;
      const explanation = { kind: 'cooccurrence-cleared' as const, summary: `quiet for ${formatDuration(within)}`, conditions: this.rule.conditions, numbers: { distinct: a.count } };
      (out ??= []).push(makeTransition('resolved', this.rule, a.key, now, a.count, [], explanation, undefined, []));
      return false;
    });
    return out;
  }

  nextDue() {
    // An anchor is due once `now - lastAt >= within`: a millisecond early, for any rounding.
    let due = this.expiry.nextAt;
    for (const a of this.anchors) due = Math.min(due, a.lastAt + this.rule.windowMs! - 1);
    return due;
  }

  openKeys() { return this.anchors.length + this.recent.size; }
  snapshot() { return { recent: this.recent.all().map(({ t, location, value, ref }) => ({ t, location, value, ref })), anchors: this.anchors }; }
  restore(s: unknown) {
    const st = s as { recent?: Seen[]; anchors?: Anchor[] };
    this.recent = new PointGrid(this.rule.nearMeters!);
    this.expiry = new ExpiryQueue<number>();
    for (const r of (st.recent ?? []).sort((a, b) => a.t - b.t)) this.expiry.push(r.t + this.rule.windowMs!, this.recent.add(r));
    this.anchors = st.anchors ?? [];
  }
}
