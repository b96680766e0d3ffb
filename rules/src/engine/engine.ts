import type { AlertTransition, Explanation } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import type { Baseline } from '../baseline/baseline.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { detectionOf, lookbackMs, sameDetection } from '../language/detection.ts';
import { formatDuration } from '../language/duration.ts';
import { firesEarly, type AbsenceRuleDefinition, type SequenceRuleDefinition } from '../language/rule-schema.ts';
import { typePatterns } from '../language/type-patterns.ts';
import type { CalendarEntry } from './calendar.ts';
import { EventContext, type CityEnv } from './context.ts';
import { parseIsoTime } from './iso-time.ts';
import { before, ReorderBuffer } from './reorder-buffer.ts';
import { RuleIndex, type Candidates } from './rule-index.ts';
import { AbsenceRunner } from './runners/absence.ts';
import { AnomalyRunner } from './runners/anomaly.ts';
import { CooccurrenceRunner } from './runners/cooccurrence.ts';
import { MatchRunner } from './runners/match.ts';
import type { Runner } from './runners/runner.ts';
import { SequenceRunner } from './runners/sequence.ts';
import { ThresholdRunner } from './runners/threshold.ts';
import { makeTransition } from './transition.ts';

export type EngineOptions = {
  /** How late an event may arrive and still be evaluated in order (ms). */
  lateness?: number;
  /** How far ahead of the clock given to `tick` an event may be stamped before it is flagged (ms). */
  maxFutureSkew?: number;
  /** How often windows are swept without an event (ms of event time). */
  sweepEvery?: number;
};

/** Something the engine saw that an operator of the feeds should know. */
export type EngineNotice =
  | { kind: 'late'; source: string; id: string; time: string; lateByMs: number }
  | { kind: 'future'; source: string; id: string; time: string; aheadByMs: number }
  | { kind: 'invalid-time'; source: string; id: string; time: string };

/** `imported`: the event came with a one-off upload (a CSV import), not from a live feed (see `Engine.ingest`). */
export type IngestOptions = { imported?: boolean };

export type EngineStats = { received: number; late: number; future: number; invalid: number; buffered: number };
export type RuleStatus = { ruleId: string; kind: CompiledRule['kind']; state: 'running' | 'waiting-for-baseline'; openKeys: number };

/** The whole engine's state as JSON-safe plain data. */
export type EngineSnapshot = {
  format: 2;
  maxSeen: number | null;
  released: number | null;
  lastNow: number | null;
  buffer: Event[];
  /** `detection`: what the version detects (see `detectionOf`): a later version that detects the same resumes from it. */
  rules: Record<string, { version: number; detection?: string; state: unknown }>;
};

/**
 * A rule whose state could not be kept (a new rule, a new version that detects differently, a
 * rule missing from a restored snapshot): the stored events of its `kind`'s lookback, event
 * times in (`from`, `to`] (ms), rebuild it (see `Engine.warmUp`). `types`: the only event types
 * it may accept (undefined: any).
 */
export type ColdRule = { ruleId: string; kind: CompiledRule['kind']; types?: string[]; from: number; to: number };
/**
 * An alert still active with its condition holding (see `Engine.warmUp`); `since`: when its
 * condition began (ms), if known; `kind`: the kind of rule that last told it (see
 * `ruleKindOf`), if known.
 */
export type HeldAlert = { ruleId: string; key: string; since?: number; kind?: string };
/**
 * What `Engine.warmUp` is told besides the events. `held`: the alerts these rules raised before
 * (whatever version) still active with their condition holding; an absence alert's silence
 * older than the events read is taken on as it is. `complete`: false when the events given
 * may not be all (then no alert is said over). `closed`: alerts of these rules an operator
 * closed, and when (ms): a silence is not raised again if its alert was closed during it.
 * `imported`: the events that came with a one-off upload, not shown to absence rules (as live).
 * `lastBefore`: live events older than the events given, shown first to the absence rules
 * (those older than a rule's span): the newest of each source, say, so that a source gone
 * quiet before the span is known, and found silent, as it would have been had the rule run
 * all along.
 */
export type WarmUpOptions = {
  held?: readonly HeldAlert[];
  complete?: boolean;
  closed?: readonly { ruleId: string; key: string; at: number }[];
  imported?: (e: Event) => boolean;
  lastBefore?: readonly Event[];
};

/** Whether a held alert was last told by a rule of another kind than `rule` (its kind known). */
const otherKind = (h: HeldAlert, rule: CompiledRule | undefined): boolean => rule !== undefined && h.kind !== undefined && h.kind !== rule.kind;

/** An alert ended because the rule's new version does not hold it (see `Engine.endUnheld`). */
function ruleChanged(rule: CompiledRule, key: string, at: number): AlertTransition {
  const window = formatDuration(lookbackMs(rule.definition)!);
  const explanation: Explanation = {
    kind: 'rule-changed',
    summary: `not held by version ${rule.version} of the rule: its events of the last ${window} do not make it`,
    conditions: rule.conditions, conditionsFr: rule.conditionsFr,
    numbers: { version: rule.version, window },
  };
  return makeTransition('resolved', rule, key, at, 0, [], explanation, undefined, []);
}

/** An alert of another kind of rule ended (see `Engine.endOtherKinds`). */
function kindChanged(rule: CompiledRule, h: HeldAlert, at: number): AlertTransition {
  const explanation: Explanation = {
    kind: 'rule-kind-changed',
    summary: `told by the rule when of kind ${h.kind}: version ${rule.version} (kind ${rule.kind}) no longer watches its condition`,
    conditions: rule.conditions, conditionsFr: rule.conditionsFr,
    numbers: { version: rule.version, previousKind: h.kind!, ruleKind: rule.kind },
  };
  return makeTransition('resolved', rule, h.key, at, 0, [], explanation, undefined, []);
}

/** When the silence an absence firing reports began: its key's last event, else `for` before it. */
function silenceStart(t: AlertTransition, rule: CompiledRule): number {
  const lastEvent = t.evidence[0];
  return lastEvent ? Date.parse(lastEvent.time) : t.at - (rule.windowMs ?? 0);
}

/** The types a sequence rule may accept (its `where`'s, else every step's and `unless`'s): undefined when one of them may be any. */
function sequenceTypes(rule: CompiledRule): string[] | undefined {
  const def = rule.definition as SequenceRuleDefinition;
  const own = typePatterns(def.where);
  if (own) return own;
  const parts = [...def.steps.map((st) => typePatterns(st.where)), ...(def.unless ? [typePatterns(def.unless.where)] : [])];
  return parts.every(Boolean) ? [...new Set(parts.flat() as string[])] : undefined;
}

/** `index`: the entry's place in the engine's list (and in `due`). */
type Entry = { rule: CompiledRule; runner: Runner; stateless: boolean; sequence?: SequenceRunner; index: number };

const MAX_NOTICES = 1000;
/** What `ingest` returns when an event produced nothing (most do): one frozen list, not one per event. */
const NO_TRANSITIONS = Object.freeze([]) as unknown as AlertTransition[];
const finite = (n: number) => (Number.isFinite(n) ? n : null);

/**
 * The pure rules engine: events in, alert transitions out. Events are evaluated in event-time
 * order: each waits in a reorder buffer until the watermark (latest event time, or the clock
 * given to `tick`, minus the allowed lateness) passes it, so events shuffled within the
 * lateness give exactly the alerts of the in-order stream. Stateless `match` rules answer on
 * arrival. Nothing here reads a clock.
 */
export class Engine {
  private entries: Entry[] = [];
  /**
   * Per entry, a time before which a sweep need not call its `onTime` (the runner's `nextDue`
   * as of its last sweep; −Infinity once an event reached it since): a sweep passes over idle
   * rules without touching their state.
   */
  private due = new Float64Array(0);
  private index = new RuleIndex<Entry>([]);
  private buffer = new ReorderBuffer();
  private maxSeen = -Infinity;
  private released = -Infinity;
  private lastNow: number | undefined;
  private lastSweep = -Infinity;
  /** Bumped when the rules change: candidates looked up before then are looked up again. */
  private generation = 0;
  private baselines = new Map<string, Baseline>();
  private notices: EngineNotice[] = [];
  readonly stats: EngineStats = { received: 0, late: 0, future: 0, invalid: 0, buffered: 0 };
  private readonly lateness: number;
  private readonly maxFutureSkew: number;
  private readonly sweepEvery: number;

  constructor(private env: CityEnv, rules: CompiledRule[] = [], opts: EngineOptions = {}) {
    this.lateness = opts.lateness ?? 120_000;
    this.maxFutureSkew = opts.maxFutureSkew ?? 300_000;
    this.sweepEvery = opts.sweepEvery ?? 30_000;
    this.setRules(rules);
    this.cold.clear(); // a new engine starts at the beginning: nothing before it to rebuild
  }

  /** The time up to which events have been evaluated (ms). */
  get watermark(): number {
    return this.released;
  }

  get ruleIds(): string[] {
    return this.entries.map((e) => e.rule.id);
  }

  private runnerFor(rule: CompiledRule): Runner {
    const baseline = () => this.baselines.get(rule.id);
    switch (rule.kind) {
      case 'match': return new MatchRunner(rule);
      case 'threshold': return new ThresholdRunner(rule);
      case 'anomaly': return new AnomalyRunner(rule, baseline, this.env.timeZone);
      case 'sequence': return new SequenceRunner(rule);
      case 'cooccurrence': return new CooccurrenceRunner(rule);
      case 'absence': return new AbsenceRunner(rule, baseline, this.env.timeZone);
    }
  }

  /**
   * Replaces the rule set. A rule whose id and version are unchanged keeps its state; so does a
   * new version that only words its alerts otherwise (title, description, severity, actions, translations).
   * Any other new version, and a new rule, starts empty and is cold (see `coldRules`).
   */
  setRules(rules: CompiledRule[]): void {
    const previous = new Map(this.entries.map((e) => [e.rule.id, e]));
    const cold = new Map<string, Entry>();
    this.entries = rules.filter((r) => r.definition.enabled).map((rule) => {
      const prev = previous.get(rule.id);
      if (prev && prev.rule.version === rule.version) {
        if (this.cold.has(rule.id)) cold.set(rule.id, prev);
        return prev;
      }
      const runner = this.runnerFor(rule);
      const entry: Entry = { rule, runner, stateless: MatchRunner.isStateless(rule), sequence: runner instanceof SequenceRunner ? runner : undefined, index: 0 };
      if (prev && sameDetection(prev.rule.definition, rule.definition)) {
        // Only the wording of its alerts changed: the new version goes on from the old one's state.
        runner.restore(JSON.parse(JSON.stringify(prev.runner.snapshot())));
        if (this.cold.has(rule.id)) cold.set(rule.id, entry);
      } else {
        // Alerts fired early by the version replaced: the new one resolves them if its events in order do not confirm them.
        if (prev) runner.adoptEarly?.(prev.runner);
        if (lookbackMs(rule.definition) !== undefined) cold.set(rule.id, entry);
      }
      return entry;
    });
    this.cold = cold;
    this.entries.forEach((e, i) => (e.index = i));
    // A new version that fires early knows the events arrived and not yet evaluated, as the one it
    // replaces did (a cold one once rebuilt: see `warmUp`).
    const fresh = this.entries.filter((e) => previous.get(e.rule.id) !== e && !cold.has(e.rule.id));
    this.hasEarly = this.entries.some((e) => e.runner.onArrival !== undefined && firesEarly(e.rule.definition));
    this.due = new Float64Array(this.entries.length).fill(-Infinity);
    this.index = new RuleIndex(this.entries, this.env.zones);
    this.generation++;
    this.rememberArrivals(fresh);
  }

  /** Rules started empty since the last `warmUp`, by id. */
  private cold = new Map<string, Entry>();

  /**
   * The rules that started empty (see `ColdRule`), with the span of stored events that would
   * rebuild each: up to the watermark, as events after it are still to come in order. Empty
   * before the engine has evaluated anything (no watermark yet).
   */
  coldRules(): ColdRule[] {
    if (!Number.isFinite(this.released)) return [];
    const to = this.released;
    return [...this.cold.values()].map(({ rule }) => {
      const types = rule.kind === 'sequence' ? sequenceTypes(rule) : rule.types;
      return { ruleId: rule.id, kind: rule.kind, ...(types ? { types } : {}), from: to - lookbackMs(rule.definition)!, to };
    });
  }

  /**
   * Rebuilds the cold rules' state from stored events, as if they had run all along: `events`
   * (any order; those out of a rule's span or refused by it are passed over) run through those
   * rules only, in event-time order, their windows sliding as they go (see `WarmUpOptions`).
   *
   * Returns what the alerts should now say, one transition per key: the last one the events
   * gave (`updated` for an alert open now, `resolved` for one over), but none of a sequence
   * rule (its alerts are each a sequence completed in the past), nor the firing of a silence
   * whose alert an operator closed during it; and, when the events are complete, for a key in
   * `held` that the rebuilt state does not hold, of a rule that can say (threshold, anomaly,
   * co-occurrence), its resolution. Then no rule is cold. Must be called before any event
   * comes after `coldRules`, with the stored events that had reached the engine by then.
   */
  warmUp(events: readonly Event[], { held = [], complete = true, closed = [], imported, lastBefore = [] }: WarmUpOptions = {}): AlertTransition[] {
    const spans = this.coldRules();
    const cold = spans.map((s) => ({ span: s, entry: this.cold.get(s.ruleId)! }));
    this.cold = new Map();
    if (!cold.length) return [];
    const to = spans[0]!.to, from = Math.min(...spans.map((s) => s.from));
    const list: EventContext[] = [];
    for (const ev of events) {
      const e = new EventContext(ev, this.env);
      if (e.t > from && e.t <= to) list.push(e);
    }
    list.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const keyOf = (ruleId: string, key: string) => `${ruleId}\u0000${key}`;
    const closedAt = new Map<string, number>();
    for (const c of closed) closedAt.set(keyOf(c.ruleId, c.key), Math.max(c.at, closedAt.get(keyOf(c.ruleId, c.key)) ?? -Infinity));
    const last = new Map<string, AlertTransition>();
    const keep = (entry: Entry, produced: AlertTransition[] | undefined) => {
      if (!produced || entry.sequence) return;
      for (const t of produced) {
        const k = keyOf(t.ruleId, t.key);
        // A silence is said once: its alert closed by an operator since it began is not raised again.
        if (entry.rule.kind === 'absence' && t.kind === 'fired' && (closedAt.get(k) ?? -Infinity) >= silenceStart(t, entry.rule)) continue;
        last.set(k, t);
      }
    };
    // The keys last heard of before the events read, to the absence rules: silent since then if nothing came after.
    const quiet = cold.filter((c) => c.entry.rule.kind === 'absence');
    if (quiet.length && lastBefore.length) {
      const older = lastBefore.map((ev) => new EventContext(ev, this.env)).filter((e) => !Number.isNaN(e.t)).sort((a, b) => (before(a, b) ? -1 : 1));
      for (const e of older) {
        for (const { span, entry } of quiet) if (e.t <= span.from && entry.rule.accepts(e)) keep(entry, entry.runner.onEvent(e, e.t));
      }
    }
    // A silence older than the events read: taken on from its alert (unless a key heard of above), so that it ends when its key speaks again.
    for (const h of held) {
      const c = cold.find((x) => x.entry.rule.id === h.ruleId);
      if (otherKind(h, c?.entry.rule)) continue; // not a silence: an alert of another kind of rule (see `endOtherKinds`)
      if (c?.entry.runner.adoptSilence && (h.since === undefined || h.since <= c.span.from)) c.entry.runner.adoptSilence(h.key, h.since ?? c.span.from);
    }
    let swept = -Infinity;
    for (const e of list) {
      if (e.t - swept >= this.sweepEvery) {
        // Windows slide between events as the engine's sweeps make them.
        for (const { entry } of cold) keep(entry, entry.runner.onTime(e.t));
        swept = e.t;
      }
      const upload = imported?.(e.event) === true;
      for (const { span, entry } of cold) {
        if (e.t <= span.from || (upload && entry.rule.kind === 'absence') || !entry.rule.accepts(e)) continue;
        if (entry.sequence && !entry.sequence.wants(e)) continue;
        keep(entry, entry.runner.onEvent(e, e.t));
      }
    }
    for (const { entry } of cold) {
      keep(entry, entry.runner.onTime(to));
      this.due[entry.index] = -Infinity;
    }
    // The events arrived and not yet evaluated, shown to the rules that fire early: what they
    // complete with the rebuilt state fires now, as it would have on their arrival.
    const early = cold.map((c) => c.entry).filter((x) => x.runner.onArrival && firesEarly(x.rule.definition));
    if (early.length && this.buffer.size) {
      const waiting = this.buffer.contents().sort((a, b) => (before(a, b) ? -1 : 1));
      for (const e of waiting) {
        if (this.isFuture(e.t)) continue; // flagged, as on its arrival
        for (const entry of early) {
          if (!entry.rule.accepts(e)) continue;
          for (const t of entry.runner.onArrival!(e, this.released) ?? []) last.set(keyOf(t.ruleId, t.key), t);
        }
      }
    }
    // An alert open now is said `updated`: the alert store makes it if it has none, and otherwise
    // takes the new count (a firing would add it to the alert's).
    const out = [...last.values()].map((t): AlertTransition => (t.kind === 'fired' ? { ...t, kind: 'updated' } : t));
    if (complete) {
      const rebuilt = new Set(cold.map((c) => c.entry.rule.id));
      out.push(...this.endUnheld(held.filter((h) => rebuilt.has(h.ruleId) && !last.has(keyOf(h.ruleId, h.key)))));
    }
    return out.sort((a, b) => a.at - b.at);
  }

  /**
   * The resolutions (`rule-changed`, at the watermark) of the `held` alerts whose rule's state
   * does not hold them now, among rules that can say (threshold, anomaly, co-occurrence): after
   * a rule was rebuilt (see `warmUp`), and the events since evaluated.
   */
  endUnheld(held: readonly HeldAlert[]): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const h of held) {
      const entry = this.entries.find((x) => x.rule.id === h.ruleId);
      if (!entry?.runner.holds || entry.runner.holds(h.key)) continue;
      out.push(otherKind(h, entry.rule) ? kindChanged(entry.rule, h, this.released) : ruleChanged(entry.rule, h.key, this.released));
    }
    return out;
  }

  /**
   * The resolutions (`rule-kind-changed`, at the watermark, or at `now` before the engine has
   * one) of the `held` alerts last told by a rule of another kind than their rule is now (a
   * threshold rule become a match rule): they watch a condition it no longer watches; unless
   * its state holds their key. Needs no events: may be called whenever the rules change (an
   * alert told since by the rule's new kind is of it).
   */
  endOtherKinds(held: readonly HeldAlert[], now: number): AlertTransition[] {
    const at = Number.isFinite(this.released) ? this.released : now;
    const out: AlertTransition[] = [];
    for (const h of held) {
      const entry = this.entries.find((x) => x.rule.id === h.ruleId);
      if (!entry || !otherKind(h, entry.rule) || entry.runner.holds?.(h.key)) continue;
      out.push(kindChanged(entry.rule, h, at));
    }
    return out;
  }

  /** Cold rules not rebuilt before events came: they start from here, knowing the events arrived. */
  private notWarmed(): void {
    this.rememberArrivals([...this.cold.values()]);
    this.cold.clear();
  }

  /** Shows the events waiting in the buffer to `entries` that fire early, as arrived (no firing): after a restore, or to a new rule version. */
  private rememberArrivals(entries: Entry[]): void {
    const early = entries.filter((e) => e.runner.onArrival && firesEarly(e.rule.definition));
    if (!early.length || this.buffer.size === 0) return;
    for (const e of this.buffer.contents()) for (const entry of early) if (entry.rule.accepts(e)) entry.runner.onArrival!(e, this.released, true);
  }

  /** Swaps the city's zones (after an import); windows keep their keys. */
  setZones(zones: CityEnv['zones']): void {
    this.env = { ...this.env, zones };
    this.index.setZones(zones);
  }

  setCalendar(calendar: readonly CalendarEntry[]): void {
    this.env = { ...this.env, calendar };
  }

  /** Hour-of-week baselines per rule id (anomaly rules, and absence rules with `for: auto`). */
  setBaselines(baselines: Record<string, Baseline>): void {
    this.baselines = new Map(Object.entries(baselines));
  }

  private notice(n: EngineNotice): void {
    if (this.notices.length < MAX_NOTICES) this.notices.push(n);
  }

  /** Notices gathered since the last call (late, future or unreadable events). */
  takeNotices(): EngineNotice[] {
    const n = this.notices;
    this.notices = [];
    return n;
  }

  /** Runs each entry of `list` on the event; `sure[i]` = 1 where the rule index's choice already implies the entry's filter. */
  private evaluateAll(e: EventContext, list: Entry[], sure: Uint8Array, now: number, out: AlertTransition[]): void {
    // The index reads types as strings: any other type value is judged by the filters themselves.
    const typed = typeof e.event.type === 'string';
    for (let i = 0; i < list.length; i++) this.evaluate(e, list[i]!, typed && sure[i] === 1, now, out);
  }

  /** Whether a rule fires early (see `ThresholdRuleDefinition.early`): only then are arrivals shown to the in-order rules. */
  private hasEarly = false;

  /** Shows an arrived event to the in-order rules that fire early (before the lateness has passed). */
  private arrive(e: EventContext, list: Entry[], sure: Uint8Array, out: AlertTransition[]): void {
    const typed = typeof e.event.type === 'string';
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (!entry.runner.onArrival || (!(typed && sure[i] === 1) && !entry.rule.accepts(e))) continue;
      const produced = entry.runner.onArrival(e, this.released);
      if (produced) for (const t of produced) out.push(t);
    }
  }

  private evaluate(e: EventContext, entry: Entry, sure: boolean, now: number, out: AlertTransition[]): void {
    if (!sure && !entry.rule.accepts(e)) return;
    if (entry.sequence && !entry.sequence.wants(e)) return;
    this.due[entry.index] = -Infinity;
    const produced = entry.runner.onEvent(e, now);
    if (produced) for (const t of produced) out.push(t);
  }

  ingest(event: Event, how?: IngestOptions): AlertTransition[] {
    if (this.cold.size) this.notWarmed();
    const out = this.scratch;
    if (how?.imported) this.ingestImported(event, out);
    else this.ingestInto(event, out);
    if (out.length === 0) return NO_TRANSITIONS;
    this.scratch = [];
    return out;
  }

  /** Where `ingest` gathers an event's transitions: kept while empty (nothing made for an event that produces none). */
  private scratch: AlertTransition[] = [];

  /** The event's time (ms), counted as received; NaN when unreadable (counted and reported). */
  private timeOf(event: Event): number {
    const t = parseIsoTime(event.time);
    this.stats.received++;
    if (Number.isNaN(t)) {
      this.stats.invalid++;
      this.notice({ kind: 'invalid-time', source: event.source, id: event.id, time: event.time });
    }
    return t;
  }

  private ingestInto(event: Event, out: AlertTransition[]): void {
    const t = this.timeOf(event);
    if (Number.isNaN(t)) return;
    const bucket = this.index.forType(event.type);
    if (!bucket) {
      // No rule may accept it: no context is made, it only moves the clock.
      this.clockSees(event, t);
      this.release(out);
      return;
    }
    const e = new EventContext(event, this.env, t);
    const candidates = this.index.candidatesIn(bucket, e);
    this.evaluateAll(e, candidates.onArrival, candidates.sureOnArrival, t, out);
    this.clockSees(event, t);

    if (candidates.inOrder.length === 0) {
      // No rule needs it in order: it only moves the watermark.
      this.release(out);
      return;
    }
    if (e.t <= this.released) {
      // Later than the allowed lateness: evaluated now, best effort, and reported.
      this.stats.late++;
      this.notice({ kind: 'late', source: event.source, id: event.id, time: event.time, lateByMs: this.released - e.t });
      this.evaluateAll(e, candidates.inOrder, candidates.sureInOrder, this.released, out);
      return;
    }
    e.candidates = candidates;
    e.generation = this.generation;
    // Rules that fire early see it now, unless it is evaluated in order at once anyway, or is
    // stamped beyond the clock skew (flagged: a wrong clock must not raise an alert before its time).
    if (this.hasEarly && e.t > Math.max(this.maxSeen, this.lastNow ?? -Infinity) - this.lateness && !this.isFuture(t)) this.arrive(e, candidates.inOrder, candidates.sureInOrder, out);
    this.buffer.push(e);
    this.release(out);
  }

  /**
   * An event of a one-off upload (a CSV import) rather than of a live feed: evaluated at once,
   * best effort, as a late live event is (stateless rules in its own time; windowed ones at
   * the engine's watermark, so that their windows stay consistent: an event older than a
   * window behind the watermark counts in none), but not reported late (an upload is history:
   * its events come after their time by nature), and by every rule but the absence ones, which
   * watch the live stream (an upload says nothing of whether a source or a place still speaks:
   * it neither starts nor ends a silence). It does not move the engine's clock either.
   */
  private ingestImported(event: Event, out: AlertTransition[]): void {
    const t = this.timeOf(event);
    if (Number.isNaN(t)) return;
    const ahead = this.lastNow === undefined ? 0 : t - (this.lastNow + this.maxFutureSkew);
    if (ahead > 0) {
      this.stats.future++;
      this.notice({ kind: 'future', source: event.source, id: event.id, time: event.time, aheadByMs: ahead });
    }
    const bucket = this.index.forType(event.type);
    if (!bucket) return;
    const e = new EventContext(event, this.env, t);
    const c = this.index.candidatesIn(bucket, e);
    const typed = typeof event.type === 'string';
    const run = (list: Entry[], sure: Uint8Array, now: number) => {
      for (let i = 0; i < list.length; i++) if (list[i]!.rule.kind !== 'absence') this.evaluate(e, list[i]!, typed && sure[i] === 1, now, out);
    };
    run(c.onArrival, c.sureOnArrival, t);
    run(c.inOrder, c.sureInOrder, Math.max(t, this.released));
  }

  /** Whether `t` is beyond the clock given to `tick` plus the allowed skew. */
  private isFuture(t: number): boolean {
    return this.lastNow !== undefined && t > this.lastNow + this.maxFutureSkew;
  }

  /** An event stamped `t` moves the latest time seen, unless it is ahead of the clock given to `tick` (then reported). */
  private clockSees(event: Event, t: number): void {
    const ahead = this.lastNow === undefined ? 0 : t - (this.lastNow + this.maxFutureSkew);
    if (ahead > 0) {
      this.stats.future++;
      this.notice({ kind: 'future', source: event.source, id: event.id, time: event.time, aheadByMs: ahead });
    } else if (t > this.maxSeen) this.maxSeen = t;
  }

  /** Where `releaseOne` puts its transitions (one callback for every release: nothing made per event). */
  private releasing: AlertTransition[] = [];
  private readonly releaseOne = (e: EventContext): void => {
    const candidates = e.generation === this.generation ? (e.candidates as Candidates<Entry>) : this.index.candidates(e);
    this.evaluateAll(e, candidates.inOrder, candidates.sureInOrder, e.t, this.releasing);
  };

  private release(out: AlertTransition[]): void {
    const clock = Math.max(this.maxSeen, this.lastNow ?? -Infinity);
    const watermark = clock - this.lateness;
    if (watermark <= this.released) return;
    this.releasing = out;
    this.buffer.releaseUpTo(watermark, this.releaseOne);
    this.released = watermark;
    this.stats.buffered = this.buffer.size;
    if (watermark - this.lastSweep >= this.sweepEvery) this.sweep(watermark, out);
  }

  private sweep(now: number, out: AlertTransition[]): void {
    this.lastSweep = now;
    const entries = this.entries, due = this.due;
    for (let i = 0; i < entries.length; i++) {
      if (due[i]! > now) continue; // nothing of this rule's falls due yet
      const runner = entries[i]!.runner;
      const produced = runner.onTime(now);
      due[i] = runner.nextDue ? runner.nextDue() : -Infinity;
      if (produced) for (const t of produced) out.push(t);
    }
  }

  /** Tells the engine the wall clock (ms) without evaluating anything: the next event is judged against it. */
  setClock(now: number): void {
    this.lastNow = Math.max(this.lastNow ?? -Infinity, now);
  }

  /** Advances the clock to `now` (ms) without an event: buffered events are released, windows slide, silences show. */
  tick(now: number): AlertTransition[] {
    if (this.cold.size) this.notWarmed();
    this.lastNow = Math.max(this.lastNow ?? -Infinity, now);
    const out: AlertTransition[] = [];
    this.release(out);
    if (this.released > -Infinity && this.released > this.lastSweep) this.sweep(this.released, out);
    return out;
  }

  /** Releases every buffered event now (end of a replay or a backtest). */
  flush(): AlertTransition[] {
    if (this.cold.size) this.notWarmed();
    const out: AlertTransition[] = [];
    const end = Math.max(this.maxSeen, this.released);
    if (end === -Infinity) return out;
    this.buffer.releaseUpTo(Infinity, (e) => {
      const candidates = this.index.candidates(e);
      this.evaluateAll(e, candidates.inOrder, candidates.sureInOrder, e.t, out);
    });
    this.released = end;
    this.stats.buffered = 0;
    this.sweep(end, out);
    return out;
  }

  /** Keys, windows and partial sequences held in memory across all rules. */
  get openKeys(): number {
    let n = 0;
    for (const e of this.entries) n += e.runner.openKeys();
    return n;
  }

  ruleStatus(): RuleStatus[] {
    return this.entries.map(({ rule, runner }) => {
      const needsBaseline = rule.kind === 'anomaly' || (rule.kind === 'absence' && (rule.definition as AbsenceRuleDefinition).for === 'auto');
      return {
        ruleId: rule.id,
        kind: rule.kind,
        state: needsBaseline && !this.baselines.has(rule.id) ? 'waiting-for-baseline' : 'running',
        openKeys: runner.openKeys(),
      };
    });
  }

  snapshot(): EngineSnapshot {
    const rules: EngineSnapshot['rules'] = {};
    for (const { rule, runner } of this.entries) rules[rule.id] = { version: rule.version, detection: detectionOf(rule.definition), state: runner.snapshot() };
    return JSON.parse(JSON.stringify({
      format: 2,
      maxSeen: finite(this.maxSeen),
      released: finite(this.released),
      lastNow: this.lastNow ?? null,
      buffer: this.buffer.contents().map((e) => e.event),
      rules,
    }));
  }

  /**
   * Restores state saved by `snapshot`. A rule whose version changed since resumes from it if
   * it still detects the same (only its alerts' wording changed); otherwise it starts empty, and
   * is cold (see `coldRules`), as is a rule the snapshot does not know.
   */
  restore(snap: EngineSnapshot): void {
    if (snap.format !== 2) return;
    this.maxSeen = snap.maxSeen ?? -Infinity;
    this.released = snap.released ?? -Infinity;
    this.lastNow = snap.lastNow ?? undefined;
    this.buffer = new ReorderBuffer();
    for (const ev of snap.buffer) this.buffer.push(new EventContext(ev, this.env));
    this.stats.buffered = this.buffer.size;
    this.due.fill(-Infinity);
    this.cold = new Map();
    for (const entry of this.entries) {
      const s = snap.rules[entry.rule.id];
      if (s && (s.version === entry.rule.version || s.detection === detectionOf(entry.rule.definition))) entry.runner.restore(JSON.parse(JSON.stringify(s.state)));
      else if (lookbackMs(entry.rule.definition) !== undefined) this.cold.set(entry.rule.id, entry);
    }
    this.rememberArrivals(this.entries.filter((e) => !this.cold.has(e.rule.id)));
  }
}
