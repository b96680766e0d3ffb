import type { IngestOptions, StoredEvent } from '@vigie/rules';
import type { EngineService } from '../engine/engine-service.ts';
import type { Logger } from '../logger.ts';
import { eventKey, type Announce } from '../storage/events-repo.ts';
import type { SessionLock } from '../storage/pg-session-lock.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { EngineBus } from './engine-bus.ts';

/** The advisory lock the engine's leader holds (see alerts-repo.ts for Vigie's keys). */
export const ENGINE_LOCK = 7218;
/** How often a node that does not lead tries the lock, and the leader checks it still holds it (ms). */
const COMPETE_MS = 1000;
const REPLAYED_KEPT_MS = 60_000;

export type EngineRole = 'leader' | 'taking-over' | 'follower';
type Batch = { events: StoredEvent[]; how: IngestOptions };

/**
 * One engine for the whole city, whichever node an event came in by: windows, co-occurrences
 * and absences need every event. With PostgreSQL, the node holding a session advisory lock
 * leads: its engine evaluates the events it stores and those the other nodes send it (the
 * engine bus); the others only send. When the leader goes (stopped, crashed, cut off from the
 * database), the lock is released and another node takes over: it resumes from the newest
 * snapshot and replays the stored events since, then evaluates what arrived meanwhile but
 * those the replay held. A leader that stops hearing the bus, or whose lock connection no longer
 * answers, stands down: what the others send is lost to it; it competes again once it hears.
 * With PGlite (one process) the node leads from the start. What must run on one node only
 * (the feed polls) follows the role through `onLeading`.
 */
export class EngineLeadership {
  role: EngineRole = 'follower';
  readonly counters = { takeovers: 0, standDowns: 0, unsent: 0 };
  private lock?: SessionLock;
  private bus?: EngineBus;
  private hearing = true;
  /** What came in while taking over, evaluated once the replay is done. */
  private waiting: Batch[] = [];
  /** The keys the last takeover replayed, kept REPLAYED_KEPT_MS: a notification of one of them may come late. */
  private replayed = new Set<string>();
  private replayedTimer?: NodeJS.Timeout;
  /** Bumped when the role changes: a takeover that was overtaken by a stand-down does not lead. */
  private turn = 0;
  private timer?: NodeJS.Timeout;
  private competing?: Promise<void>;
  private closed = false;
  /** Told when this node comes to lead (its replay done) and when it no longer does (see `onLeading`). */
  private leadingListeners: ((leading: boolean) => void)[] = [];
  private told = false;

  constructor(private readonly engine: EngineService, private readonly db: SqlClient, private readonly log: Logger, private readonly competeMs = COMPETE_MS) {}

  /** Resolves once this node leads (the replay done) or knows another node does. */
  async start(): Promise<void> {
    if (!this.db.sessionLock || !EngineBus.available(this.db)) return this.takeOver();
    this.engine.leading = false;
    this.lock = this.db.sessionLock(ENGINE_LOCK);
    this.lock.onLost((e) => void this.standDown('its database connection was lost', e));
    this.bus = new EngineBus(this.db);
    await this.bus.listen({
      wanted: () => this.role !== 'follower',
      events: (events, how) => this.arrived({ events, how }, false),
      // What it held is lost to this engine: a takeover (this node again, or another) replays it.
      unreadable: (e) => void this.standDown('a message from another node could not be read', e),
      lost: (e) => {
        this.hearing = false;
        void this.standDown('it no longer hears the other nodes', e);
      },
      reconnected: () => { this.hearing = true; },
    });
    await this.compete();
    this.timer = setInterval(() => void this.compete(), this.competeMs);
    this.timer.unref();
  }

  /**
   * `fn` is called at once with whether this node leads, then each time that changes: true once
   * a takeover is done, false when it stands down or closes.
   */
  onLeading(fn: (leading: boolean) => void): void {
    this.leadingListeners.push(fn);
    fn(this.told);
  }

  private tell(leading: boolean): void {
    if (leading === this.told) return;
    this.told = leading;
    for (const fn of this.leadingListeners) {
      try {
        fn(leading);
      } catch (e) {
        this.log.error('engine: a listener to the leading role failed', { leading, error: String(e) });
      }
    }
  }

  /**
   * For a batch about to be stored: a node that does not lead sends its events to the leader
   * inside the transaction that stores them (at its commit, or not at all if it rolls back: a
   * crash right after the commit loses none). The leader stores without one.
   */
  announcer(how: IngestOptions): Announce | undefined {
    const bus = this.bus;
    if (this.role !== 'follower' || !bus) return undefined;
    return async (tx, events) => {
      if (!tx.notify) return false;
      await bus.send(events, how, tx);
      return true;
    };
  }

  /**
   * Events this node stored: evaluated here when it leads, else sent to the leader; except
   * those `announce` sent with their batch (the leader has them, this node too if it leads
   * since: it hears the bus).
   */
  handOn(events: StoredEvent[], how: IngestOptions, announced: ReadonlySet<StoredEvent> = new Set()): void {
    const rest = announced.size ? events.filter((e) => !announced.has(e)) : events;
    if (rest.length) this.arrived({ events: rest, how }, true);
  }

  private arrived(batch: Batch, local: boolean): void {
    if (this.role === 'leader') {
      // A batch the takeover's replay already read may still arrive after it (its notification was on its way).
      const events = this.replayed.size ? batch.events.filter((e) => !this.replayed.has(eventKey(e))) : batch.events;
      if (events.length) void this.engine.process(events, batch.how);
    }
    else if (this.role === 'taking-over') this.waiting.push(batch);
    else if (local) {
      // Stored, but not evaluated unless the leader gets them (or a takeover replays them).
      void this.bus?.send(batch.events, batch.how).catch((e: unknown) => {
        this.counters.unsent += batch.events.length;
        this.log.error('engine: events not sent to the leading node (a takeover replays them)', { events: batch.events.length, error: String(e) });
      });
    }
  }

  /** A follower tries the lock; the leader checks it still holds it (a half-open connection answers nothing). */
  private compete(): Promise<void> {
    if (this.closed || this.competing) return this.competing ?? Promise.resolve();
    const run = async () => {
      if (this.role === 'leader') {
        if (!(await this.lock!.check())) await this.standDown('its lock no longer answers', new Error('lock check failed'));
        return;
      }
      if (this.role !== 'follower' || !this.hearing) return;
      try {
        if (!(await this.lock!.tryTake())) return;
      } catch (e) {
        return void this.log.warn('engine: could not try the leader lock', { error: String(e) });
      }
      if (this.closed) return void (await this.lock!.release());
      await this.takeOver();
    };
    this.competing = run().finally(() => { this.competing = undefined; });
    return this.competing;
  }

  private async takeOver(): Promise<void> {
    const turn = ++this.turn;
    this.role = 'taking-over';
    this.waiting = [];
    const replayed = new Set<string>();
    let count: number;
    try {
      count = await this.engine.resume(undefined, replayed);
    } catch (e) {
      if (turn !== this.turn) return;
      this.log.error('engine: taking over failed (tried again)', { error: String(e) });
      this.role = 'follower';
      await this.lock?.release();
      if (!this.lock) throw e; // a single node cannot start without its engine
      return;
    }
    if (turn !== this.turn) return;
    this.role = 'leader';
    this.engine.leading = true;
    this.counters.takeovers++;
    this.tell(true);
    this.replayed = replayed;
    clearTimeout(this.replayedTimer);
    this.replayedTimer = setTimeout(() => { this.replayed = new Set(); }, REPLAYED_KEPT_MS);
    this.replayedTimer.unref();
    const waiting = this.waiting;
    this.waiting = [];
    for (const b of waiting) this.arrived(b, false);
    // A snapshot at once: a node taking over after this one, even within the first 30 s, resumes from it.
    void this.engine.snapshot();
    this.log.info('engine: this node leads', { replayed: count, waiting: waiting.length });
  }

  /**
   * No snapshot here: after a lost listening connection the state misses what the others sent
   * meanwhile, and after a lost lock another node may already lead. The next leader resumes
   * from the last periodic snapshot (30 s at most) and replays what followed.
   */
  private async standDown(why: string, error: unknown): Promise<void> {
    if (this.role === 'follower') return;
    this.turn++;
    this.role = 'follower';
    this.engine.leading = false;
    this.waiting = [];
    this.counters.standDowns++;
    this.log.warn(`engine: this node stands down: ${why}`, { error: String(error) });
    this.tell(false);
    await this.lock?.release();
  }

  /** Stops competing and gives the lock up (after the caller's last snapshot). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.replayedTimer);
    await this.competing;
    this.turn++;
    this.role = 'follower';
    this.tell(false);
    await this.bus?.close();
    await this.lock?.release();
  }
}
