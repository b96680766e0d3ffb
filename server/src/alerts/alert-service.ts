import type { Alert, AlertTransition } from '@vigie/rules';
import { actOnAlert, applyTransition, applyTransitionsTogether, CommitUnansweredError, escalateDue, wasCommitted, NO_ESCALATION, createSilenceHolding, releaseLapsed, type ActionOutcome, type ApplyResult, type Lifecycle, type OperatorAction } from '../storage/alerts-repo.ts';
import { isDatabaseUnavailable, isRefusedByDatabase, type SqlClient } from '../storage/sql-client.ts';
import type { AlertPublisher } from '../live/publisher.ts';
import type { NewSilence, Silence } from '../storage/silences-repo.ts';
import { createLogger, type Logger } from '../logger.ts';
import { coalesceUpdates } from './coalesce-updates.ts';

/** How long to wait before trying a transition again while the database does not answer: doubling from `firstMs` up to `maxMs`. */
export type RetryPolicy = { firstMs: number; maxMs: number };
const RETRY: RetryPolicy = { firstMs: 500, maxMs: 30_000 };
/**
 * How many of the engine's transitions are stored in one transaction, on PostgreSQL. On PGlite,
 * one: it runs one statement at a time, so a long transaction would hold every request behind it
 * (an operator's acknowledgement, the console's reads) for a gain of some 7% (bench:alerts).
 */
const TOGETHER = 25;
/** Attempts for an error that says neither "database away" nor "refused" (about 8 s with the default policy). */
const OTHER_ATTEMPTS = 5;

/** Thrown by `applyTransitions` when the service stopped while a transition was still waiting for the database. */
export class AlertsNotStoredError extends Error {
  constructor(cause: unknown) {
    super(`alerts not stored (stopped while the database was unavailable): ${String(cause)}`, { cause });
  }
}

/** `together`: the engine's transitions stored in one transaction (default: TOGETHER on PostgreSQL, 1 on PGlite). */
export type AlertServiceOptions = { log?: Logger; retry?: RetryPolicy; together?: number };

/** Stores alert changes (from the engine, operators or the escalation job) and publishes each stored change. */
export class AlertService {
  /**
   * `retries`: transitions tried again (database unavailable); `refused`: transitions that could
   * not be stored (refused outright, or another error that persisted): skipped, logged;
   * `unanswered`: transactions whose COMMIT got no answer (then looked into: see `wasStored`);
   * `coalesced`: updates gathered into a later one of their alert (see `coalesceUpdates`).
   */
  readonly counters = { fired: 0, updated: 0, cleared: 0, actions: 0, escalated: 0, retries: 0, refused: 0, unanswered: 0, coalesced: 0 };
  publisher: AlertPublisher;
  private readonly log: Logger;
  private readonly retry: RetryPolicy;
  private readonly together: number;
  private stopped = false;
  private wake?: () => void;

  constructor(private readonly db: SqlClient, publisher: AlertPublisher, private readonly now: () => Date, private readonly life: Lifecycle = NO_ESCALATION, opts: AlertServiceOptions = {}) {
    this.publisher = publisher;
    this.log = opts.log ?? createLogger('silent');
    this.retry = opts.retry ?? RETRY;
    this.together = Math.max(1, opts.together ?? (db.kind === 'postgres' ? TOGETHER : 1));
  }

  /**
   * Applies the engine's transitions in order, each once (a run of updates of one alert in two:
   * see `coalesceUpdates`): on PostgreSQL up to TOGETHER in one
   * transaction (a flood's alerts stored faster: see `applyTransitionsTogether`). Should that transaction fail, its transitions
   * are applied one by one: while the database does not answer, a transition is tried again
   * (with backoff) until it is stored, holding the ones after it: an alert is not lost to an
   * outage. One the database refuses outright is logged and skipped, as is one whose error is
   * of another kind and persists past a few attempts. A transaction whose COMMIT got no answer
   * is looked into before anything else is tried (see `wasStored`): stored, its transitions are
   * published as they were; not stored, applied again.
   */
  async applyTransitions(engineTransitions: AlertTransition[]): Promise<Alert[]> {
    const { transitions, merged } = coalesceUpdates(engineTransitions);
    this.counters.coalesced += merged;
    const out: Alert[] = [];
    for (let i = 0; i < transitions.length; i += this.together) {
      const batch = transitions.slice(i, i + this.together);
      const together = batch.length > 1 ? await this.applyTogether(batch) : undefined;
      for (let k = 0; k < batch.length; k++) {
        const t = batch[k]!;
        const r = together ? together[k]! : await this.applyOne(t);
        if (!r) continue;
        if (r.created) this.counters.fired++;
        else if (t.kind === 'resolved') this.counters.cleared++;
        else this.counters.updated++;
        this.publisher.publish(r.alert, r.created);
        out.push(r.alert);
      }
    }
    return out;
  }

  /** The transitions in one transaction, or undefined when it failed (nothing of it stored: they go one by one). */
  private async applyTogether(batch: AlertTransition[]): Promise<ApplyResult[] | undefined> {
    try {
      return await applyTransitionsTogether(this.db, batch, this.now(), this.life);
    } catch (e) {
      if (e instanceof CommitUnansweredError && await this.wasStored(e)) return e.results;
      // Each tried again, one by one (nothing of the transaction was stored).
      if (e instanceof CommitUnansweredError || isDatabaseUnavailable(e)) this.counters.retries += batch.length;
      this.log.warn('alerts: transitions stored together failed: one by one now', { transitions: batch.length, error: String(e) });
      return undefined;
    }
  }

  private async applyOne(t: AlertTransition): Promise<ApplyResult> {
    for (let attempt = 1, wait = this.retry.firstMs; ; attempt++, wait = Math.min(wait * 2, this.retry.maxMs)) {
      try {
        const r = await applyTransition(this.db, t, this.now(), this.life);
        if (attempt > 1) this.log.info('alerts: stored once the database answered', { ruleId: t.ruleId, key: t.key, attempts: attempt });
        return r;
      } catch (e) {
        if (e instanceof CommitUnansweredError && await this.wasStored(e)) return e.results[0] ?? null;
        // The database away: tried again until it answers. Refused outright, or any other error (a bug) that
        // persists past a few attempts: skipped, so that one transition cannot hold every alert after it for good.
        const away = e instanceof CommitUnansweredError || isDatabaseUnavailable(e);
        if (isRefusedByDatabase(e) || (!away && attempt >= OTHER_ATTEMPTS)) {
          this.counters.refused++;
          this.log.error('alerts: a transition could not be stored: skipped', { ruleId: t.ruleId, key: t.key, kind: t.kind, attempts: attempt, error: String(e) });
          return null;
        }
        if (this.stopped) throw new AlertsNotStoredError(e);
        this.counters.retries++;
        if (attempt === 1) this.log.warn('alerts: database unavailable, trying again until stored', { ruleId: t.ruleId, key: t.key, error: String(e) });
        await this.pause(wait);
      }
    }
  }

  /**
   * Whether the transaction of a COMMIT that got no answer was stored, by its mark: asked until
   * the database answers (the transitions after it wait, as in an outage). An error of another
   * kind that persists past a few attempts counts as not stored (its transitions are applied
   * again: an update may then count twice, logged).
   */
  private async wasStored(unanswered: CommitUnansweredError): Promise<boolean> {
    this.counters.unanswered++;
    for (let attempt = 1, wait = this.retry.firstMs; ; attempt++, wait = Math.min(wait * 2, this.retry.maxMs)) {
      try {
        const stored = await wasCommitted(this.db, unanswered.mark);
        this.log.warn(`alerts: a COMMIT got no answer; the transaction was ${stored ? 'stored' : 'not stored: applied again'}`, { transitions: unanswered.results.length, attempts: attempt, error: String(unanswered.cause) });
        return stored;
      } catch (e) {
        if (!isDatabaseUnavailable(e) && attempt >= OTHER_ATTEMPTS) {
          this.log.error('alerts: whether an unanswered COMMIT was stored is unknown: applied again', { transitions: unanswered.results.length, error: String(e) });
          return false;
        }
        if (this.stopped) throw new AlertsNotStoredError(e);
        await this.pause(wait);
      }
    }
  }

  /** Waits `ms`, or until `close`. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
    this.wake = undefined;
  }

  /** Stops waiting for the database: a transition still waiting fails with AlertsNotStoredError (the engine then keeps no snapshot past it). */
  close(): void {
    this.stopped = true;
    this.wake?.();
  }

  async act(id: string, version: number, by: string, action: OperatorAction): Promise<ActionOutcome> {
    const r = await actOnAlert(this.db, id, version, by, action, this.now(), this.life);
    if (r.ok) {
      this.counters.actions++;
      this.publisher.publish(r.alert, false);
      // Closed, it may have ended a silence that lasted until it: the alerts that silence held come back now.
      if (r.alert.status === 'resolved' || r.alert.status === 'dismissed') await this.releaseLapsed();
    }
    return r;
  }

  /** Makes a silence: the active alerts it covers are held back too, and published. */
  async silence(body: NewSilence, by: string): Promise<{ silence: Silence; held: Alert[] }> {
    const made = await createSilenceHolding(this.db, body, by, this.now());
    for (const a of made.held) this.publisher.publish(a, false);
    return made;
  }

  /** Alerts held by a silence that is over are let go (see `releaseLapsed`), and published. */
  async releaseLapsed(): Promise<Alert[]> {
    const released = await releaseLapsed(this.db, this.now(), this.life);
    for (const a of released) this.publisher.publish(a, false);
    return released;
  }

  /** The escalation job: lets go of the alerts of silences that are over, escalates overdue alerts, publishes them and tells supervisors. */
  async escalate(): Promise<Alert[]> {
    await this.releaseLapsed();
    const escalated = await escalateDue(this.db, this.now(), this.life);
    for (const a of escalated) this.publisher.publish(a, false);
    if (escalated.length) {
      this.counters.escalated += escalated.length;
      this.publisher.escalated?.(escalated);
    }
    return escalated;
  }
}
