import type { AlertTransition, EvidenceRef, Explanation } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';
import { ITEM, PointGrid } from '../../geo/point-grid.ts';
import { cosLat, distanceMeters, haversineLimit, haversineTerm, metersOfTerm, withinMeters, type HaversineLimit } from '../../geo/distance.ts';
import { compileGetter } from '../../language/compile-filter.ts';
import type { CompiledRule } from '../../language/compile-rule.ts';
import { formatDuration } from '../../language/duration.ts';
import type { CooccurrenceRuleDefinition } from '../../language/rule-schema.ts';
import type { EventContext } from '../context.ts';
import { evidenceOf } from '../evidence.ts';
import { makeTransition } from '../transition.ts';
import { before } from '../reorder-buffer.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import type { Runner } from './runner.ts';
import { SeenStore, type SeenEntry } from './seen-store.ts';
import { sortedStrings, sortFirstByKey } from './small-sort.ts';

/**
 * Scratch shared by every co-occurrence rule, reused from one event to the next (counted rather
 * than emptied, so that their storage is kept, and being shared, stays in the cache): the seen
 * events around the current one, their distinct values, and the records of the nine cells
 * around it that hold events, as `gather` finds them and `onEvent` reads them before any other
 * rule runs.
 */
const around: number[] = [];
const values: string[] = [];
const cells: number[] = [];

/** An open cluster: where it was first seen and when it was last fed. */
type Anchor = { key: string; location: Location; lastAt: number; count: number };
/** An event arrived but not yet evaluated in order (`early: true`). */
type Arrived = { t: number; location: Location; value: string; ref: EvidenceRef; e: EventContext };
/**
 * A cluster fired early, until the events in order make it theirs (an anchor of the same key)
 * or go past `at`, the time of the event that completed it, without doing so (then resolved).
 */
type EarlyAnchor = { key: string; location: Location; at: number; count: number };

/**
 * `cooccurrence`: at least `min` distinct values of `distinct` (e.g. sources), or without it
 * `min` events, among the matching events within `within` and `near` of the latest. A cluster
 * keeps one key while it is fed; it resolves once nothing fed it for `within`.
 */
export class CooccurrenceRunner implements Runner {
  /** The recent events, by number: their location, value and evidence (`seen`); their time and position, in a grid (`recent`). */
  private seen = new SeenStore();
  private recent: PointGrid;
  private expiry = new ExpiryQueue<number>();
  private anchors: Anchor[] = [];
  private readonly def: CooccurrenceRuleDefinition;
  private readonly value: (e: EventContext) => unknown;
  /** No `distinct`: the rule counts events (each its own value). */
  private readonly counting: boolean;
  private readonly limit: HaversineLimit;
  /** How many of `around` and of `values` (see there) the last `gather` found. */
  private nAround = 0;
  private nValues = 0;
  /** `early: true`: the events arrived but not yet evaluated in order (by their context: taken out in one step), and the clusters fired early. */
  private pending = new Map<EventContext, Arrived>();
  private early: EarlyAnchor[] = [];
  /** The latest time among the events arrived (an arrival after it has no later arrived one to complete), and a count of arrivals. */
  private latestArrived = -Infinity;
  private arrivals = 0;

  constructor(private readonly rule: CompiledRule) {
    this.def = rule.definition as CooccurrenceRuleDefinition;
    // Without `distinct`, each event is a value of its own: the events are counted.
    this.counting = this.def.distinct === undefined;
    this.value = this.def.distinct === undefined ? (e) => `${e.event.source}/${e.event.id}` : compileGetter(this.def.distinct);
    this.recent = new PointGrid(rule.nearMeters!);
    this.limit = haversineLimit(rule.nearMeters!);
    this.windowText = formatDuration(rule.windowMs!);
    this.quietText = `quiet for ${this.windowText}`;
  }
  /** The rule's `within` as written back (`10m`), and what a cluster's resolution says of it: made once. */
  private readonly windowText: string;
  private readonly quietText: string;

  /**
   * The seen events within `near` and `within` of the event (seen as `self`), in the grid's order, and their
   * distinct values (first seen first), as `nAround` and `nValues` count them. When the nine
   * cells hold fewer than `min` events in all, none is read: fewer than `min` values can be
   * found there (none is counted).
   */
  private gather(self: number, t: number, loc: Location): void {
    const within = this.rule.windowMs!, near = this.rule.nearMeters!, limit = this.limit;
    const grid = this.recent, seen = this.seen, p = grid.items, here = grid.position(self);
    this.nAround = 0;
    this.nValues = 0;
    const n = grid.nonEmptyAround(grid.row(loc.lat), grid.col(loc.lon), cells);
    if (grid.heldAround < this.def.min) return;
    let nAround = 0, nValues = 0;
    for (let c = 0; c < n; c++) {
      for (let s = grid.firstOf(cells[c]!); s >= 0; s = grid.nextOf(s)) {
        if (!(Math.abs(t - p[s * ITEM]!) < within)) continue;
        if (!withinMeters(p, here, grid.position(s), near, limit)) continue;
        around[nAround++] = s;
        const value = seen.value(s);
        let known = false;
        if (!this.counting) for (let v = 0; v < nValues; v++) if (values[v] === value) { known = true; break; }
        if (!known) values[nValues++] = value;
      }
    }
    this.nAround = nAround;
    this.nValues = nValues;
  }

  /** The time `prune` drops up to, and its callbacks (made once: nothing made per sweep). */
  private pruneNow = 0;
  private readonly expired = (s: number): boolean => this.pruneNow - this.recent.t(s) >= this.rule.windowMs!;
  private readonly dropped = (s: number): void => this.seen.release(s);

  /** Drops the seen events expired at `now` from each cell with one (a cell met again drops nothing more). */
  private prune(now: number) {
    this.pruneNow = now;
    for (let cell = this.expiry.pop(now); cell !== undefined; cell = this.expiry.pop(now)) this.recent.dropOldest(cell, this.expired, this.dropped);
  }

  onEvent(e: EventContext, now: number): AlertTransition[] | undefined {
    if (this.pending.size) this.pending.delete(e);
    const loc = e.event.location;
    const v = this.value(e);
    if (!loc || v === undefined || v === null) return undefined;
    const within = this.rule.windowMs!;
    const cos = e.cosLat;
    const id = this.seen.add(loc, typeof v === 'string' ? v : String(v), evidenceOf(e));
    this.expiry.push(e.t + within, this.recent.add(id, loc.lat, loc.lon, e.t, cos));
    this.gather(id, e.t, loc);
    const nValues = this.nValues, n = this.nAround;
    if (nValues < this.def.min) return undefined;
    const seen = this.seen, grid = this.recent;
    sortFirstByKey(around, n, grid.items, ITEM);
    let anchor: Anchor | undefined;
    for (const a of this.anchors) {
      if (e.t - a.lastAt < within && this.isNear(a.location, loc)) {
        anchor = a;
        break;
      }
    }
    let kind: 'fired' | 'updated' = anchor ? 'updated' : 'fired';
    if (!anchor) {
      const first = seen.ref(around[0]!);
      const key = `${first.source}/${first.id}`;
      anchor = { key, location: seen.location(around[0]!), lastAt: e.t, count: 0 };
      this.anchors.push(anchor);
      // The cluster fired early, as these events in order make it (the same first event): confirmed.
      const k = this.early.length ? this.early.findIndex((a) => a.key === key) : -1;
      if (k >= 0) {
        this.early.splice(k, 1);
        kind = 'updated';
      }
    }
    anchor.lastAt = e.t;
    anchor.count = nValues;
    const span = grid.t(around[n - 1]!) - grid.t(around[0]!);
    // The farthest event from the anchor, by the haversine term (each event's cos(latitude) is
    // stored beside it): one arcsine per alert rather than one per event.
    const p = grid.items, aLat = anchor.location.lat, aLon = anchor.location.lon, aCos = cosLat(aLat);
    let farthest = -Infinity;
    const evidence = new Array<EvidenceRef>(n);
    for (let k = 0; k < n; k++) {
      const at = grid.position(around[k]!);
      farthest = Math.max(farthest, haversineTerm(aLat, aLon, aCos, p[at]!, p[at + 1]!, p[at + 2]!));
      evidence[k] = seen.ref(around[k]!);
    }
    const explanation = this.explain(nValues, () => sortedStrings(values, nValues), n, span, metersOfTerm(farthest), false);
    void now;
    return [makeTransition(kind, this.rule, anchor.key, e.t, nValues, evidence, explanation, e, e.zones)];
  }

  /**
   * Why a cluster fires: `count` distinct values (`sorted` lists them) among `events` events; or,
   * without `distinct`, `events` events. `early`: on arrival (see `onArrival`).
   */
  private explain(count: number, sorted: () => string[], events: number, span: number, maxDistance: number, early: boolean): Explanation {
    const within = formatDuration(span) || '0s', metres = Math.round(maxDistance);
    const arrival = early ? ', on arrival (before late events could come)' : '';
    const field = this.def.distinct, min = this.def.min, spanSeconds = Math.round(span / 1000);
    if (field === undefined) {
      return {
        kind: early ? 'cooccurrence-events-early' : 'cooccurrence-events',
        summary: `${events} events within ${within} and ${metres} m${arrival}`,
        conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
        numbers: { events, min, duration: within, spanSeconds, maxDistanceMeters: metres },
      };
    }
    const values = sorted().join(', ');
    return {
      kind: early ? 'cooccurrence-early' : 'cooccurrence',
      summary: `${count} distinct ${field} (${values}) within ${within} and ${metres} m${arrival}`,
      conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr,
      numbers: { distinct: count, field, values, min, events, spanSeconds, maxDistanceMeters: metres },
    };
  }

  /**
   * `early: true`: the event joins the arrived ones; where it completes a cluster (at its own
   * time, or at a later arrived one's it now belongs to) that no open cluster covers, the
   * cluster fires now. The events in order reach it too (distinct values only grow).
   */
  onArrival(e: EventContext, released: number, remember = false): AlertTransition[] | undefined {
    if (!this.def.early) return undefined;
    const loc = e.event.location;
    const v = this.value(e);
    if (!loc || v === undefined || v === null) return undefined;
    const within = this.rule.windowMs!, near = this.rule.nearMeters!;
    // An event never evaluated here in order (the rules changed meanwhile) is dropped once the
    // watermark passed it: looked for now and then (the events in order take theirs out).
    if (++this.arrivals % 256 === 0) for (const [k, p] of this.pending) if (p.t <= released) this.pending.delete(k);
    const me: Arrived = { t: e.t, location: loc, value: String(v), ref: evidenceOf(e), e };
    const inOrder = e.t > this.latestArrived;
    if (inOrder) this.latestArrived = e.t;
    this.pending.set(e, me);
    if (remember || !this.mayComplete(me)) return undefined;
    // Where the events in order may now complete a cluster: at this event, or (it came out of
    // order) at a later arrived one near it; earliest first, as they will.
    const points = [me];
    if (!inOrder) for (const p of this.pending.values()) if (p !== me && before(e, p.e) && p.t - e.t < within && this.isNear(p.location, loc)) points.push(p);
    if (points.length > 1) points.sort((a, b) => (before(a.e, b.e) ? -1 : 1));
    let out: AlertTransition[] | undefined;
    for (const x of points) {
      if (this.covered(x)) continue;
      const known = this.knownAround(x);
      const distinct = new Set(known.map((a) => a.value));
      if (distinct.size < this.def.min) continue;
      const first = known[0]!;
      this.early.push({ key: `${first.ref.source}/${first.ref.id}`, location: first.location, at: x.t, count: distinct.size });
      const span = known[known.length - 1]!.t - first.t;
      let maxDistance = 0;
      for (const a of known) maxDistance = Math.max(maxDistance, distanceMeters(first.location, a.location));
      const explanation = this.explain(distinct.size, () => [...distinct].sort(), known.length, span, maxDistance, true);
      (out ??= []).push(makeTransition('fired', this.rule, `${first.ref.source}/${first.ref.id}`, x.t, distinct.size, known.map((a) => a.ref), explanation, x.e, x.e.zones));
    }
    return out;
  }

  /**
   * Whether the arrival of `me` may complete a cluster anywhere: the events known (in order or
   * arrived) within twice `near` of it and `within` of its time either side hold `min` distinct
   * values. Every point it may complete (itself, or a later arrived event within `near` and
   * `within` of it) counts events among those only, so with fewer values there, none completes:
   * nothing more is looked at (a hub where one source reports a thousand events at once costs a
   * look around per arrival, not one per pair of them).
   */
  private mayComplete(me: Arrived): boolean {
    const within = this.rule.windowMs!, reach = 2 * this.rule.nearMeters!, min = this.def.min, seen = this.seen;
    const met: string[] = [];
    const counts = (value: string) => {
      if (!met.includes(value)) met.push(value);
      return met.length >= min;
    };
    const grid = this.recent, i = grid.row(me.location.lat), j = grid.col(me.location.lon);
    for (let di = -2; di <= 2; di++) {
      for (let dj = -2; dj <= 2; dj++) {
        const cell = grid.cellAt(i + di, j + dj);
        if (cell < 0) continue;
        for (let s = grid.firstOf(cell); s >= 0; s = grid.nextOf(s)) {
          if (Math.abs(grid.t(s) - me.t) < within && distanceMeters(seen.location(s), me.location) <= reach && counts(seen.value(s))) return true;
        }
      }
    }
    for (const p of this.pending.values()) {
      if (Math.abs(p.t - me.t) < within && distanceMeters(p.location, me.location) <= reach && counts(p.value)) return true;
    }
    return false;
  }

  /** Whether `a` is within `near` of `b` (a box in latitude first: most are far). */
  private isNear(a: Location, b: Location): boolean {
    const near = this.rule.nearMeters!;
    if (Math.abs(a.lat - b.lat) * 111_195 > near) return false;
    return distanceMeters(a, b) <= near;
  }

  /**
   * Whether a cluster will be open around `x` when the events in order reach it: one open now
   * (in order, or fired early) whose last feeding, moved on by the arrived events before `x`
   * that may feed it (near its place, each within `within` of the one before), is within
   * `within` of `x`. An upper bound: it may say covered where the events in order would not
   * (then the cluster fires in order, after the lateness), never the reverse.
   */
  private covered(x: Arrived): boolean {
    const near = this.rule.nearMeters!;
    for (const a of this.anchors) if (this.isNear(a.location, x.location) && this.feedsUpTo(a.location, a.lastAt, x)) return true;
    for (const a of this.early) if (this.isNear(a.location, x.location) && (a.at >= x.t || this.feedsUpTo(a.location, a.at, x))) return true;
    return false;
  }

  /** Whether a cluster at `location` last fed at `lastAt` may still be fed at `x` (see `covered`). */
  private feedsUpTo(location: Location, lastAt: number, x: Arrived): boolean {
    const within = this.rule.windowMs!;
    // Fed or not since, the cluster is still open at `x` (feeding only moves its last time on).
    if (x.t - lastAt < within) return true;
    let last = lastAt;
    const feeding = [...this.pending.values()].filter((p) => p !== x && before(p.e, x.e) && p.t > last && this.isNear(location, p.location)).sort((a, b) => a.t - b.t);
    for (const p of feeding) if (p.t - last < within) last = p.t;
    return x.t - last < within;
  }

  /**
   * The events known (evaluated in order, or arrived) within `within` before `x` and `near` it:
   * those the events in order will count at `x`, in the order they will list them (time, then
   * the nine cells' order around `x`, then the order they are evaluated in), so that the first
   * one, which names the cluster, is theirs.
   */
  private knownAround(x: Arrived): { t: number; location: Location; value: string; ref: EvidenceRef }[] {
    const within = this.rule.windowMs!, near = this.rule.nearMeters!, seen = this.seen;
    const out: { t: number; location: Location; value: string; ref: EvidenceRef; cell: number }[] = [];
    const i = this.recent.row(x.location.lat), j = this.recent.col(x.location.lon);
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (const s of this.recent.cellItems(i + di, j + dj)) {
          const t = this.recent.t(s);
          if (t > x.t || x.t - t >= within) continue;
          const location = seen.location(s);
          if (this.isNear(location, x.location)) out.push({ t, location, value: seen.value(s), ref: seen.ref(s), cell: (di + 1) * 3 + dj + 1 });
        }
      }
    }
    for (const p of this.pending.values()) {
      if ((p === x || before(p.e, x.e)) && x.t - p.t < within && this.isNear(p.location, x.location)) {
        out.push({ ...p, cell: (this.recent.row(p.location.lat) - i + 1) * 3 + this.recent.col(p.location.lon) - j + 1 });
      }
    }
    const order = (a: { ref: EvidenceRef }, b: { ref: EvidenceRef }) => (a.ref.source !== b.ref.source ? (a.ref.source < b.ref.source ? -1 : 1) : a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0);
    return out.sort((a, b) => a.t - b.t || a.cell - b.cell || order(a, b));
  }

  /** Clusters fired early that the events in order went past without making them theirs: resolved. */
  private unconfirmed(now: number, out: AlertTransition[] | undefined): AlertTransition[] | undefined {
    if (!this.early.some((a) => a.at <= now)) return out;
    this.early = this.early.filter((a) => {
      if (a.at > now) return true;
      const explanation: Explanation = { kind: 'cooccurrence-unconfirmed', summary: 'not confirmed once the events were evaluated in order', conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr, numbers: this.counting ? { events: a.count } : { distinct: a.count } };
      (out ??= []).push(makeTransition('resolved', this.rule, a.key, now, a.count, [], explanation, undefined, []));
      return false;
    });
    return out;
  }

  adoptEarly(from: Runner): void {
    if (from instanceof CooccurrenceRunner) this.early.push(...from.early);
  }

  onTime(now: number): AlertTransition[] | undefined {
    this.prune(now);
    let out: AlertTransition[] | undefined = this.early.length ? this.unconfirmed(now, undefined) : undefined;
    const within = this.rule.windowMs!;
    let due = false;
    for (const a of this.anchors) if (now - a.lastAt >= within) { due = true; break; }
    if (!due) return out;
    this.anchors = this.anchors.filter((a) => {
      if (now - a.lastAt < within) return true;
      const window = this.windowText;
      const numbers: Explanation['numbers'] = this.counting ? { events: a.count, window } : { distinct: a.count, window };
      const explanation: Explanation = { kind: 'cooccurrence-cleared', summary: this.quietText, conditions: this.rule.conditions, conditionsFr: this.rule.conditionsFr, numbers };
      (out ??= []).push(makeTransition('resolved', this.rule, a.key, now, a.count, [], explanation, undefined, []));
      return false;
    });
    return out;
  }

  nextDue() {
    // An anchor is due once `now - lastAt >= within`: a millisecond early, for any rounding.
    let due = this.expiry.nextAt;
    for (const a of this.anchors) due = Math.min(due, a.lastAt + this.rule.windowMs! - 1);
    for (const a of this.early) due = Math.min(due, a.at);
    return due;
  }

  holds(key: string) { return this.anchors.some((a) => a.key === key) || this.early.some((a) => a.key === key); }
  openKeys() { return this.anchors.length + this.recent.size + this.early.length; }
  snapshot() {
    const recent = this.recent.all().map((id): SeenEntry => ({ t: this.recent.t(id), location: this.seen.location(id), value: this.seen.value(id), ref: this.seen.ref(id) }));
    return { recent, anchors: this.anchors, ...(this.early.length ? { early: this.early } : {}) };
  }
  restore(s: unknown) {
    const st = s as { recent?: SeenEntry[]; anchors?: Anchor[]; early?: EarlyAnchor[] };
    this.early = st.early ?? [];
    this.pending = new Map();
    this.latestArrived = -Infinity;
    this.seen = new SeenStore();
    this.recent = new PointGrid(this.rule.nearMeters!);
    this.expiry = new ExpiryQueue<number>();
    for (const r of (st.recent ?? []).sort((a, b) => a.t - b.t)) {
      const id = this.seen.add(r.location, r.value, r.ref);
      this.expiry.push(r.t + this.rule.windowMs!, this.recent.add(id, r.location.lat, r.location.lon, r.t, cosLat(r.location.lat)));
    }
    this.anchors = st.anchors ?? [];
  }
}
