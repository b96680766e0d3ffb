import { Engine, ZoneIndex, type AlertTransition, type Baseline, type CalendarEntry, type CompiledRule, type EngineNotice, type IngestOptions, type StoredEvent, type Zone } from '@vigie/rules';
import { acceptedTypes, BACKTEST_PAGE_SIZE, eventPages } from '../backtest/event-pages.ts';
import { learnBaselines } from './baselines.ts';
import { AlertsNotStoredError, type AlertService } from '../alerts/alert-service.ts';
import { closedAlertKeys, heldAlertKeys, heldAlertPairs } from '../storage/alerts-repo.ts';
import { LogTally } from '../log-tally.ts';
import type { Logger } from '../logger.ts';
import { eventKey, eventsReceivedFrom, type ReplayCursor } from '../storage/events-repo.ts';
import { importedBatchesSince, wasImported } from '../storage/feed-imports-repo.ts';
import { loadNewestSnapshot, saveSnapshot } from '../storage/snapshots-repo.ts';
import { IMPORT_LIVE_HORIZON_MS, recentImports, runsBy } from './imported-events.ts';
import { lastHeardBefore } from './last-heard.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { recordTimeNotices, type TimeNoticeCounts } from '../storage/time-notices-repo.ts';

/**
 * The server's side of the pure engine: feeds it stored events in order, one batch at a
 * time, hands the transitions to the alert service, ticks it, snapshots its state.
 */
const REPLAY_BATCH = 5000;
/**
 * How far before the newest event it holds a snapshot says to replay from: batches commit,
 * and reach the engine, out of their received order by up to this much (ms).
 */
const REPLAY_MARGIN_MS = 5000;
/** The most stored events replayed to rebuild the state of rules new or changed (the newest are kept). */
const WARM_UP_MAX_EVENTS = 200_000;

export class EngineService {
  private engine: Engine;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Set when a batch's alerts could not be stored before a stop: the engine's state is ahead of the stored alerts. */
  private behindAlerts = false;
  /**
   * The events processed lately, by time received (ms), from `recentHead` on:
   * those within REPLAY_MARGIN_MS of the newest (`newestReceived`), which a snapshot lists as seen.
   */
  private recent: { at: number; source: string; id: string }[] = [];
  private recentHead = 0;
  private newestReceived = -Infinity;
  readonly counters = { events: 0, transitions: 0, errors: 0, late: 0, future: 0 };
  private rules: CompiledRule[];
  private zones: Zone[];
  private calendar: readonly CalendarEntry[] = [];
  private baselines: Record<string, Baseline> = {};
  private readonly timeZone: string;
  private readonly lateness?: number;
  /**
   * Whether this node runs the engine (see nodes/engine-leadership.ts): only the leader ticks
   * (windows expire, absence rules fire) and saves snapshots. A single node always leads.
   */
  leading = true;
  /** Rules in shadow mode (issue 6): their transitions go to `onShadow`, not to the alert service. */
  private shadow: ReadonlySet<string> = new Set();
  onShadow: (transitions: AlertTransition[]) => Promise<void> = async () => {};

  constructor(
    private readonly db: SqlClient,
    private readonly alerts: AlertService,
    private readonly log: Logger,
    private readonly node: string,
    zones: Zone[],
    rules: CompiledRule[],
    timeZone: string,
    private readonly now: () => Date,
    /** Allowed lateness of events (ms): they are evaluated in event-time order within it. */
    lateness?: number,
  ) {
    this.rules = rules;
    this.zones = zones;
    this.timeZone = timeZone;
    this.lateness = lateness;
    this.engine = this.freshEngine();
    this.outOfTime = new LogTally(log, 'warn', 'engine: events out of time');
  }

  /** An engine with no state, on the current rules, zones, calendar and baselines. */
  private freshEngine(): Engine {
    const engine = new Engine({ zones: new ZoneIndex(this.zones), timeZone: this.timeZone }, this.rules, { lateness: this.lateness });
    engine.setCalendar(this.calendar);
    engine.setBaselines(this.baselines);
    return engine;
  }

  get ruleIds(): string[] {
    return this.engine.ruleIds;
  }

  /**
   * Swaps the rule set without a restart. Unchanged rules keep their state, as do new versions
   * that only word their alerts otherwise; a new rule, or a version that detects otherwise, is
   * rebuilt from the stored events it would have seen (see `warmUp`).
   */
  setRules(rules: CompiledRule[], shadow: ReadonlySet<string> = this.shadow): Promise<void> {
    return this.enqueue(async () => {
      this.engine.setRules(rules);
      this.rules = rules;
      this.shadow = shadow;
      // A node that does not lead evaluates nothing: the one that takes over rebuilds as it resumes.
      if (!this.leading) return;
      const recent = new Set<string>();
      for (let i = this.recentHead; i < this.recent.length; i++) recent.add(eventKey(this.recent[i]!));
      const floor = this.newestReceived - REPLAY_MARGIN_MS;
      // Reached the engine: received before the latest few seconds, or one of the events of those it has kept.
      try {
        await this.warmUp((e) => Date.parse(e.receivedAt) < floor || recent.has(eventKey(e)));
      } catch (e) {
        this.counters.errors++;
        this.log.error('engine: rules new or changed could not be rebuilt from the stored events: they start from the next event', { error: String(e) });
      }
      await this.endOtherKinds();
    });
  }

  /**
   * Ends the alerts last told by a rule of another kind than their rule is now (see
   * `Engine.endOtherKinds`): after the rules change, and on a resume (a change made while no
   * node led, or one whose ending failed, is caught up then). Needs no events: a rebuild that
   * failed or was cut short does not keep them held.
   */
  private async endOtherKinds(): Promise<void> {
    try {
      const transitions = this.engine.endOtherKinds(await heldAlertKeys(this.db, this.engine.ruleIds), this.now().getTime());
      if (transitions.length) await this.emit(transitions);
    } catch (e) {
      this.counters.errors++;
      this.log.error('engine: the alerts of rules that changed kind could not be ended: tried again with the next change or resume', { error: String(e) });
    }
  }

  /**
   * Rebuilds the rules the engine holds cold (new, or a new version that detects otherwise) from
   * the stored events of their lookback that `reached` says the engine has evaluated (those
   * still on their way come in order, as any): their windows, clusters, partial sequences and
   * silences are what they would be had the rules run all along (an absence rule also told each
   * source's last live event before its span: see `lastHeardBefore`). The alerts are told what they
   * now are: open under the new version, or over (an alert of the old version it does not hold).
   * Events of a one-off upload count as they did live: only those stamped within the live
   * horizon of their upload, and never for absence rules. `judge`: false when events are still
   * to be replayed (a resume): the alerts the new versions do not hold are ended after them (see
   * `endUnheld`). Returns the ids of the rules rebuilt. Runs within a queued job: no event comes
   * between the rules' change and this.
   */
  private async warmUp(reached: (e: StoredEvent) => boolean, judge = true): Promise<string[]> {
    const cold = this.engine.coldRules();
    if (!cold.length) return [];
    const from = Math.min(...cold.map((c) => c.from)), to = cold[0]!.to;
    const imports = await importedBatchesSince(this.db, new Date(from));
    const upload = (e: StoredEvent) => wasImported(imports, e);
    let events: StoredEvent[] = [], passedOver = 0;
    const keepNewest = () => {
      passedOver += events.length - WARM_UP_MAX_EVENTS;
      events = events.slice(-WARM_UP_MAX_EVENTS);
    };
    for await (const page of eventPages(this.db, new Date(from + 1), new Date(to + 1), BACKTEST_PAGE_SIZE, acceptedTypes(cold))) {
      for (const e of page) {
        if (reached(e) && (!upload(e) || Date.parse(e.time) >= Date.parse(e.receivedAt) - IMPORT_LIVE_HORIZON_MS)) events.push(e);
      }
      if (events.length > 2 * WARM_UP_MAX_EVENTS) keepNewest();
    }
    if (events.length > WARM_UP_MAX_EVENTS) keepNewest();
    const ids = cold.map((c) => c.ruleId), quiet = cold.filter((c) => c.kind === 'absence'), absences = quiet.map((c) => c.ruleId);
    // Each source's last word before the absence rules' spans: one gone quiet before them is found silent.
    // (Not when events of the spans were left out: a source heard of only then would be found silent.)
    const lastBefore = quiet.length && !passedOver ? await lastHeardBefore(this.db, new Date(Math.max(...quiet.map((c) => c.from))), acceptedTypes(quiet)) : [];
    const heardSince = Math.min(from, ...lastBefore.map((e) => Date.parse(e.time)));
    const transitions = this.engine.warmUp(events, {
      held: await heldAlertKeys(this.db, ids),
      // Events left out: the rebuilt state may lack what holds an alert, so none is said over.
      complete: judge && passedOver === 0,
      // Closed since the oldest silence the rules may find: not raised again.
      closed: await closedAlertKeys(this.db, absences, new Date(heardSince)),
      imported: (e) => upload(e as StoredEvent),
      lastBefore,
    });
    this.log.info('engine: rules rebuilt from the stored events', {
      rules: cold.map((c) => c.ruleId), since: new Date(from).toISOString(), events: events.length, transitions: transitions.length,
      ...(passedOver ? { passedOver, reason: `more than ${WARM_UP_MAX_EVENTS} events: the oldest were left out, and no alert is said over` } : {}),
    });
    if (transitions.length) await this.emit(transitions);
    return passedOver ? [] : ids;
  }

  /** Ends the alerts of `ruleIds` (rebuilt) that their state does not hold now (see `Engine.endUnheld`). */
  private endUnheld(ruleIds: string[]): Promise<void> {
    return this.enqueue(async () => {
      const transitions = this.engine.endUnheld(await heldAlertKeys(this.db, ruleIds));
      if (transitions.length) await this.emit(transitions);
    });
  }

  /** New zones apply to the events that come next. */
  setZones(zones: Zone[]): Promise<void> {
    return this.enqueue(async () => {
      this.zones = zones;
      this.engine.setZones(new ZoneIndex(zones));
    });
  }

  /** The events calendar, for rules `activeDuring: {calendar}`. */
  setCalendar(entries: CalendarEntry[]): Promise<void> {
    return this.enqueue(async () => {
      this.calendar = entries;
      this.engine.setCalendar(entries);
    });
  }

  /** Relearns the hour-of-week baselines (anomaly and adaptive absence rules) from stored history. */
  async refreshBaselines(): Promise<void> {
    const env = { zones: new ZoneIndex(this.zones), timeZone: this.timeZone };
    const baselines = await learnBaselines(this.db, this.rules, env, this.now());
    await this.enqueue(async () => {
      this.baselines = baselines;
      this.engine.setBaselines(baselines);
    });
    this.log.info('baselines learned', { rules: Object.keys(baselines) });
  }

  /** Rules and whether they run or wait (for a baseline). */
  ruleStatus() {
    return this.engine.ruleStatus();
  }

  /** Per source, the late and future events counted since the last `flushNotices`. */
  private notices = new Map<string, TimeNoticeCounts>();
  /** The log's account of them: one line per engine batch would flood it during a burst (a replayed history is late event after event). */
  private readonly outOfTime: LogTally;

  /**
   * Late and future events are counted, logged (at most a line a minute, with the counts) and,
   * per source, written for feed health by `flushNotices` (once a second: a replayed history is
   * late event after event, and a statement per batch would cost the database more than the
   * batch), never dropped silently.
   */
  private report(notices: EngineNotice[]): void {
    if (!notices.length) return;
    const bySource = this.notices;
    const seen = { count: notices.length, late: 0, future: 0 };
    for (const n of notices) {
      if (n.kind === 'invalid-time') continue;
      seen[n.kind === 'late' ? 'late' : 'future']++;
      let c = bySource.get(n.source);
      if (!c) bySource.set(n.source, (c = { late: 0, lateMaxMs: 0, future: 0, futureMaxMs: 0 }));
      if (n.kind === 'late') {
        this.counters.late++;
        c.late++;
        c.lateMaxMs = Math.max(c.lateMaxMs, n.lateByMs);
      } else {
        this.counters.future++;
        c.future++;
        c.futureMaxMs = Math.max(c.futureMaxMs, n.aheadByMs);
      }
    }
    this.outOfTime.add(seen, notices[0]);
  }

  /** Writes the log's last account of events out of time (when the node stops). */
  flushLog(): void {
    this.outOfTime.flush();
  }

  /** Writes the per-source counts of late and future events gathered since the last call; kept for the next one if the write fails. */
  async flushNotices(): Promise<void> {
    if (!this.notices.size) return;
    const taken = this.notices;
    this.notices = new Map();
    try {
      await recordTimeNotices(this.db, taken, this.now());
    } catch (e) {
      for (const [source, c] of taken) {
        const n = this.notices.get(source);
        this.notices.set(source, n ? { late: n.late + c.late, lateMaxMs: Math.max(n.lateMaxMs, c.lateMaxMs), future: n.future + c.future, futureMaxMs: Math.max(n.futureMaxMs, c.futureMaxMs) } : c);
      }
      throw e;
    }
  }

  get backlog(): number {
    return this.pending;
  }

  /** Runs `job` after every job queued before it; the engine sees events in arrival order. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.queue.then(job).catch((e: unknown) => {
      this.counters.errors++;
      // The engine has moved past alerts that are not stored: no snapshot may record that, so
      // that the next start resumes from the last one and replays the events since.
      if (e instanceof AlertsNotStoredError) this.behindAlerts = true;
      this.log.error('engine: a batch failed', { error: String(e) });
    }).finally(() => { this.pending--; });
    this.queue = run;
    return run;
  }

  /**
   * Hand on committed events; resolves once their alerts are stored and published. Events of a
   * one-off upload (`imported`) are history: only those stamped within IMPORT_LIVE_HORIZON_MS
   * of now reach the rules (today's log of the last hour may well show a cluster worth an
   * alert; last month's must not raise live alerts), never the absence rules, and none is
   * reported late (see `Engine.ingest`). So are the events of a dead letter an admin replays
   * (`replayed`): they come now, not from their feed speaking now (a silence stays one).
   */
  process(events: StoredEvent[], how: IngestOptions & { replayed?: boolean } = {}): Promise<void> {
    return this.enqueue(async () => {
      const now = this.now().getTime();
      this.engine.setClock(now);
      const upload: IngestOptions = how.imported || how.replayed ? { imported: true } : {};
      const evaluated = upload.imported ? recentImports(events, now) : events;
      const transitions = evaluated.flatMap((e) => this.engine.ingest(e, upload));
      this.remember(events);
      this.counters.events += evaluated.length;
      this.counters.transitions += transitions.length;
      if (transitions.length) await this.emit(transitions);
      this.report(this.engine.takeNotices());
    });
  }

  /** Keeps the keys of the events processed within REPLAY_MARGIN_MS of the newest received (for the next snapshot). */
  private remember(events: StoredEvent[]): void {
    let text = '', at = NaN; // a batch's events share one received time: read once
    for (const e of events) {
      if (e.receivedAt !== text) at = Date.parse((text = e.receivedAt));
      this.recent.push({ at, source: e.source, id: e.id });
      if (at > this.newestReceived) this.newestReceived = at;
    }
    const floor = this.newestReceived - REPLAY_MARGIN_MS;
    while (this.recentHead < this.recent.length && this.recent[this.recentHead]!.at < floor) this.recentHead++;
    if (this.recentHead > 4096 && this.recentHead * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.recentHead);
      this.recentHead = 0;
    }
  }

  /**
   * Live rules' transitions to the alert service; shadow rules' to `onShadow` (recorded, not
   * pushed), but for their resolutions, which also end the alerts such a rule raised while it
   * was live (put in shadow mode, a rule's alerts would otherwise hold their condition for good;
   * a resolution of a key without an active alert changes nothing).
   */
  private async emit(transitions: AlertTransition[]): Promise<void> {
    const shadowed = this.shadow.size ? transitions.filter((t) => this.shadow.has(t.ruleId)) : [];
    let live = transitions;
    if (shadowed.length) {
      await this.onShadow(shadowed);
      const ending = shadowed.filter((t) => t.kind === 'resolved');
      const held = await heldAlertPairs(this.db, ending);
      live = transitions.filter((t) => !this.shadow.has(t.ruleId) || (t.kind === 'resolved' && held.has(`${t.ruleId}\u0000${t.key}`)));
    }
    if (live.length) await this.alerts.applyTransitions(live);
  }

  tick(): Promise<void> {
    if (!this.leading) return Promise.resolve();
    return this.enqueue(async () => {
      const transitions = this.engine.tick(this.now().getTime());
      if (transitions.length) await this.emit(transitions);
      this.report(this.engine.takeNotices());
    });
  }

  /**
   * Starts again from the newest snapshot (this node's, or the one of the node that led
   * before) and replays the events stored from its replay point on, but those it already
   * holds; returns how many were replayed, and adds their keys to `replayed`.
   */
  async resume(pageSize = REPLAY_BATCH, replayed?: Set<string>): Promise<number> {
    const snap = await loadNewestSnapshot(this.db);
    const seen = new Set(snap?.seen.map(([source, id]) => eventKey({ source, id })));
    let failed: unknown, rebuilt: string[] = [];
    await this.enqueue(async () => {
      this.engine = this.freshEngine();
      this.recent = [];
      this.recentHead = 0;
      this.newestReceived = -Infinity;
      this.behindAlerts = false;
      if (!snap) return;
      this.engine.restore(snap.state);
      // What the state holds: the events received before its replay point, and those it lists since.
      const at = Date.parse(snap.at);
      this.newestReceived = at + REPLAY_MARGIN_MS;
      for (const [source, id] of snap.seen) this.recent.push({ at, source, id });
      // Rules changed since the snapshot: rebuilt from the events it had seen (those after come in the replay;
      // the alerts they no longer hold are ended after it).
      try {
        rebuilt = await this.warmUp((e) => Date.parse(e.receivedAt) < at || seen.has(eventKey(e)), false);
      } catch (e) {
        failed = e;
        throw e;
      }
    });
    // The rebuild failed (the database): the resume fails, to be tried again, not left with empty rules.
    if (failed) throw failed;
    if (!snap) {
      await this.enqueue(() => this.endOtherKinds());
      return 0;
    }
    // Uploads are told from live messages as they were when stored.
    const imports = await importedBatchesSince(this.db, new Date(snap.at));
    let count = 0;
    for (let from: ReplayCursor = { at: snap.at }; ;) {
      const page = await eventsReceivedFrom(this.db, from, pageSize);
      const fresh = seen.size ? page.filter((e) => !seen.has(eventKey(e))) : page;
      for (const [imported, run] of runsBy(fresh, (e) => wasImported(imports, e))) await this.process(run, imported ? { imported } : {});
      if (replayed) for (const e of page) replayed.add(eventKey(e));
      count += fresh.length;
      if (page.length < pageSize) break;
      const last = page[page.length - 1]!;
      from = { at: last.receivedAt, source: last.source, id: last.id };
    }
    if (rebuilt.length) await this.endUnheld(rebuilt);
    await this.enqueue(() => this.endOtherKinds());
    return count;
  }

  /**
   * Saves the engine's state with its replay point: REPLAY_MARGIN_MS before the newest event it
   * holds (a batch received earlier may still be on its way), and the events since that it holds.
   */
  snapshot(): Promise<void> {
    if (!this.leading) return Promise.resolve();
    return this.enqueue(async () => {
      if (this.behindAlerts) return void this.log.warn('engine: no snapshot: alerts of events already evaluated were not stored (the next start replays them)');
      const newest = Number.isFinite(this.newestReceived) ? this.newestReceived : this.now().getTime();
      const at = newest - REPLAY_MARGIN_MS;
      const seen: [string, string][] = [];
      for (let i = this.recentHead; i < this.recent.length; i++) {
        const r = this.recent[i]!;
        if (r.at >= at) seen.push([r.source, r.id]);
      }
      await saveSnapshot(this.db, this.node, new Date(at), this.engine.snapshot(), seen);
    });
  }

  /** Waits until every queued batch is done. */
  async drain(): Promise<void> {
    while (this.pending) await this.queue;
  }
}
