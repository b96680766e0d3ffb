import { Engine, ZoneIndex, type CompiledRule, type StoredEvent, type Zone } from '@vigie/rules';
import type { AlertService } from '../alerts/alert-service.ts';
import type { Logger } from '../logger.ts';
import { eventsReceivedSince } from '../storage/events-repo.ts';
import { loadSnapshot, saveSnapshot } from '../storage/snapshots-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/**
 * The server's side of the pure engine: feeds it stored events in order, one batch at a
 * time, hands the transitions to the alert service, ticks it, snapshots its state.
 */
const REPLAY_BATCH = 5000;

export class EngineService {
  private engine: Engine;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  readonly counters = { events: 0, transitions: 0, errors: 0 };

  constructor(
    private readonly db: SqlClient,
    private readonly alerts: AlertService,
    private readonly log: Logger,
    private readonly node: string,
    zones: Zone[],
    rules: CompiledRule[],
    timeZone: string,
    private readonly now: () => Date,
  ) {
    this.engine = new Engine({ zones: new ZoneIndex(zones), timeZone }, rules);
  }

  get ruleIds(): string[] {
    return this.engine.ruleIds;
  }

  /** Swaps the rule set without a restart; unchanged rules (same id and version) keep their state. */
  setRules(rules: CompiledRule[]): Promise<void> {
    return this.enqueue(async () => this.engine.setRules(rules));
  }

  /** New zones apply to the events that come next. */
  setZones(zones: Zone[]): Promise<void> {
    return this.enqueue(async () => this.engine.setZones(new ZoneIndex(zones)));
  }

  get backlog(): number {
    return this.pending;
  }

  /** Runs `job` after every job queued before it; the engine sees events in arrival order. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.queue.then(job).catch((e: unknown) => {
      this.counters.errors++;
      this.log.error('engine: a batch failed', { error: String(e) });
    }).finally(() => { this.pending--; });
    this.queue = run;
    return run;
  }

  /** Hand on committed events; resolves once their alerts are stored and published. */
  process(events: StoredEvent[]): Promise<void> {
    return this.enqueue(async () => {
      const transitions = events.flatMap((e) => this.engine.ingest(e));
      this.counters.events += events.length;
      this.counters.transitions += transitions.length;
      if (transitions.length) await this.alerts.applyTransitions(transitions);
    });
  }

  tick(): Promise<void> {
    return this.enqueue(async () => {
      const transitions = this.engine.tick(this.now().getTime());
      if (transitions.length) await this.alerts.applyTransitions(transitions);
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
    return this.enqueue(() => saveSnapshot(this.db, this.node, this.now(), this.engine.snapshot()));
  }

  /** Waits until every queued batch is done. */
  async drain(): Promise<void> {
    while (this.pending) await this.queue;
  }
}
