import { randomUUID } from 'node:crypto';
import type { Alert } from '@vigie/rules';
import type { AlertPublisher } from '../live/publisher.ts';
import type { Logger } from '../logger.ts';
import { alertsSince, getAlert, lastSeq } from '../storage/alerts-repo.ts';
import type { Listening } from '../storage/pg-listener.ts';
import type { SqlClient } from '../storage/sql-client.ts';

export const ALERTS_CHANNEL = 'vigie_alerts_changed';

/** `seq`: the change's (its alert's `seq` once changed). */
type Message = { from: string; id: string; seq?: number; isNew?: true; escalated?: true };

/** Alerts read per query when catching up after a lost listening connection. */
const CATCH_UP_PAGE = 500;
const CLOCK_MARGIN_MS = 1000;

/**
 * Nodes that share PostgreSQL but no Redis (no socket.io adapter between them) still show every
 * alert change to all their clients: the node where an alert changed (the engine's leader
 * raised it, an operator acted on it, the escalation job escalated it) publishes it to its own
 * clients and says so with `NOTIFY vigie_alerts_changed` (the alert's id: an alert does not fit
 * in a notification); every other node reads that alert and publishes it to its own. A node
 * whose listening connection was lost catches up once it listens again: every alert changed
 * since the last one it relayed (alerts change in `seq` order) goes to its clients. With
 * Redis, the adapter does this and no relay is made.
 */
export class AlertRelay implements AlertPublisher {
  private readonly self = randomUUID();
  private listening?: Listening;
  /** Notifications are handled one after the other: the clients see changes in the order they were made. */
  private handling: Promise<void> = Promise.resolve();
  /**
   * The highest `seq` of the changes this node heard of (its own included, as notified: in the
   * order the notifications came, so that one another node notified later is not skipped).
   */
  private seen = 0;
  /** When this node last heard a change (its clock): what was created or escalated since is new to its clients. */
  private heardAt = Date.now();
  readonly counters = { caughtUp: 0 };

  /** `firstRetryMs`: how long after losing its listening connection it first listens again (see pgListen). */
  constructor(private readonly db: SqlClient, private readonly local: AlertPublisher, private readonly log: Logger, private readonly opts: { firstRetryMs?: number } = {}) {}

  async listen(): Promise<void> {
    this.seen = await lastSeq(this.db);
    this.listening = await this.db.listen!(ALERTS_CHANNEL, {
      message: (payload) => this.then(() => this.heard(JSON.parse(payload) as Message), 'a change on another node could not be relayed'),
      lost: (e, retryMs) => this.log.warn('alerts: relay from the other nodes lost', { error: String(e), retryMs }),
      reconnected: () => this.then(() => this.catchUp(), 'the changes made while the relay was lost could not be read'),
      ...(this.opts.firstRetryMs !== undefined ? { firstRetryMs: this.opts.firstRetryMs } : {}),
    });
  }

  private then(step: () => Promise<void>, failure: string): void {
    this.handling = this.handling.then(step).catch((e: unknown) => this.log.warn(`alerts: ${failure}`, { error: String(e) }));
  }

  private async heard(m: Message): Promise<void> {
    this.heardAt = Date.now();
    if (m.seq !== undefined && m.seq > this.seen) this.seen = m.seq;
    if (m.from === this.self) return;
    const alert = await getAlert(this.db, m.id);
    if (!alert) return;
    if (m.escalated) this.local.escalated?.([alert]);
    else this.local.publish(alert, m.isNew === true);
  }

  /**
   * Listening again: the alerts changed meanwhile (on any node) go to this node's clients, in
   * order; those created since it last heard a change as new (the console sounds them), those
   * escalated since also to its supervisors.
   */
  private async catchUp(): Promise<void> {
    // Other nodes' clocks may differ a little from this one's.
    const since = this.heardAt - CLOCK_MARGIN_MS;
    let n = 0;
    for (;;) {
      const page = await alertsSince(this.db, this.seen, CATCH_UP_PAGE);
      for (const alert of page) {
        this.seen = alert.seq;
        this.local.publish(alert, Date.parse(alert.createdAt) > since);
        if (alert.history.some((h) => h.action === 'escalated' && Date.parse(h.at) > since)) this.local.escalated?.([alert]);
      }
      n += page.length;
      if (page.length < CATCH_UP_PAGE) break;
    }
    this.counters.caughtUp += n;
    this.log.info('alerts: relay from the other nodes back; the changes made meanwhile were sent to the clients', { alerts: n });
  }

  private tell(m: Omit<Message, 'from'>): void {
    this.db.notify!(ALERTS_CHANNEL, JSON.stringify({ from: this.self, ...m }))
      .catch((e: unknown) => this.log.warn('alerts: the other nodes could not be told of a change', { id: m.id, error: String(e) }));
  }

  publish(alert: Alert, isNew: boolean): void {
    this.local.publish(alert, isNew);
    this.tell({ id: alert.id, seq: alert.seq, ...(isNew ? { isNew: true as const } : {}) });
  }

  escalated(alerts: Alert[]): void {
    this.local.escalated?.(alerts);
    for (const a of alerts) this.tell({ id: a.id, seq: a.seq, escalated: true });
  }

  close(): Promise<void> {
    return this.listening?.close() ?? Promise.resolve();
  }
}
