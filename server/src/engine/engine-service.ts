import { Engine, ZoneIndex, type AlertTransition, type CalendarEntry, type CompiledRule, type EngineNotice, type StoredEvent, type Zone } from '@vigie/rules';
import { learnBaselines } from './baselines.ts';
import { AlertsNotStoredError, type AlertService } from '../alerts/alert-service.ts';
import type { Logger } from '../logger.ts';
import { eventsReceivedSince } from '../storage/events-repo.ts';
import { loadSnapshot, saveSnapshot } from '../storage/snapshots-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { recordTimeNotices, type TimeNoticeCounts } from '../storage/time-notices-repo.ts';

/**
 * The server's side of the pure engine: feeds it stored events in order, one batch at a
 * time, hands the transitions to the alert service, ticks it, snapshots its state.
 */
const REPLAY_BATCH = 5000;

export class EngineService {
  private engine: Engine;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Set when a batch's alerts could not be stored before a stop: the engine's state is ahead of the stored alerts. */
  private behindAlerts = false;
  readonly counters = { events: 0, transitions: 0, errors: 0, late: 0, future: 0 };
  private rules: CompiledRule[];
  private zones: Zone[];
  private readonly timeZone: string;
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
    this.engine = new Engine({ zones: new ZoneIndex(zones), timeZone }, rules, { lateness });
  }

  get ruleIds(): string[] {
    return this.engine.ruleIds;
  }

  /** Swaps the rule set without a restart; unchanged rules (same id and version) keep their state. */
  setRules(rules: CompiledRule[], shadow: ReadonlySet<string> = this.shadow): Promise<void> {
    return this.enqueue(async () => {
      this.engine.setRules(rules);
      this.rules = rules;
      this.shadow = shadow;
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
    return this.enqueue(async () => this.engine.setCalendar(entries));
  }

  /** Relearns the hour-of-week baselines (anomaly and adaptive absence rules) from stored history. */
  async refreshBaselines(): Promise<void> {
    const env = { zones: new ZoneIndex(this.zones), timeZone: this.timeZone };
    const baselines = await learnBaselines(this.db, this.rules, env, this.now());
    await this.enqueue(async () => this.engine.setBaselines(baselines));
    this.log.info('baselines learned', { rules: Object.keys(baselines) });
  }

  /** Rules and whether they run or wait (for a baseline). */
  ruleStatus() {
    return this.engine.ruleStatus();
  }

  /**
   * Late and future events are counted, logged and recorded per source (feed health shows
   * them), never dropped silently.
   */
  private async report(notices: EngineNotice[]): Promise<void> {
    if (!notices.length) return;
    const bySource = new Map<string, TimeNoticeCounts>();
    for (const n of notices) {
      if (n.kind === 'invalid-time') continue;
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
    this.log.warn('engine: events out of time', { count: notices.length, first: notices[0] });
    // A failed record costs only the per-source figures (the counters and the log have them).
    await recordTimeNotices(this.db, bySource, this.now()).catch((e: unknown) => this.log.warn('engine: time notices not recorded', { error: String(e) }));
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

  /** Hand on committed events; resolves once their alerts are stored and published. */
  process(events: StoredEvent[]): Promise<void> {
    return this.enqueue(async () => {
      this.engine.setClock(this.now().getTime());
      const transitions = events.flatMap((e) => this.engine.ingest(e));
      this.counters.events += events.length;
      this.counters.transitions += transitions.length;
      if (transitions.length) await this.emit(transitions);
      await this.report(this.engine.takeNotices()); // after the alerts: they do not wait for it
    });
  }

  /** Live rules' transitions to the alert service; shadow rules' to `onShadow` (recorded, not pushed). */
  private async emit(transitions: AlertTransition[]): Promise<void> {
    const live = this.shadow.size ? transitions.filter((t) => !this.shadow.has(t.ruleId)) : transitions;
    if (live.length < transitions.length) await this.onShadow(transitions.filter((t) => this.shadow.has(t.ruleId)));
    if (live.length) await this.alerts.applyTransitions(live);
  }

  tick(): Promise<void> {
    return this.enqueue(async () => {
      const transitions = this.engine.tick(this.now().getTime());
      if (transitions.length) await this.emit(transitions);
      await this.report(this.engine.takeNotices());
    });
  }

  /** Resumes from the last snapshot and replays the events stored since; returns how many. */
  async resume(): Promise<number> {
    const snap = await loadSnapshot(this.db, this.node);
    if (!snap) return 0;
    this.engine.restore(snap.state);
    let replayed = 0;
    for (let from = snap.at; ;) {
      const batch = await eventsReceivedSince(this.db, from, REPLAY_BATCH);
      if (!batch.length) break;
      await this.process(batch);
      replayed += batch.length;
      from = batch[batch.length - 1]!.receivedAt;
      if (batch.length < REPLAY_BATCH) break;
    }
    return replayed;
  }

  snapshot(): Promise<void> {
    return this.enqueue(async () => {
      if (this.behindAlerts) return void this.log.warn('engine: no snapshot: alerts of events already evaluated were not stored (the next start replays them)');
      await saveSnapshot(this.db, this.node, this.now(), this.engine.snapshot());
    });
  }

  /** Waits until every queued batch is done. */
  async drain(): Promise<void> {
    while (this.pending) await this.queue;
  }
}
