import { randomUUID } from 'node:crypto';
import type { Alert } from '@vigie/rules';
import type { AlertPublisher } from '../live/publisher.ts';
import type { Logger } from '../logger.ts';
import { getAlert } from '../storage/alerts-repo.ts';
import type { Listening } from '../storage/pg-listener.ts';
import type { SqlClient } from '../storage/sql-client.ts';

export const ALERTS_CHANNEL = 'vigie_alerts_changed';

type Message = { from: string; id: string; isNew?: true; escalated?: true };

/**
 * Nodes that share PostgreSQL but no Redis (no socket.io adapter between them) still show every
 * alert change to all their clients: the node where an alert changed (the engine's leader
 * raised it, an operator acted on it, the escalation job escalated it) publishes it to its own
 * clients and says so with `NOTIFY vigie_alerts_changed` (the alert's id: an alert does not fit
 * in a notification); every other node reads that alert and publishes it to its own. With
 * Redis, the adapter does this and no relay is made.
 */
export class AlertRelay implements AlertPublisher {
  private readonly self = randomUUID();
  private listening?: Listening;
  /** Notifications are handled one after the other: the clients see changes in the order they were made. */
  private handling: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlClient, private readonly local: AlertPublisher, private readonly log: Logger) {}

  async listen(): Promise<void> {
    this.listening = await this.db.listen!(ALERTS_CHANNEL, {
      message: (payload) => {
        this.handling = this.handling.then(() => this.heard(JSON.parse(payload) as Message))
          .catch((e: unknown) => this.log.warn('alerts: a change on another node could not be relayed', { error: String(e) }));
      },
      lost: (e, retryMs) => this.log.warn('alerts: relay from the other nodes lost', { error: String(e), retryMs }),
      reconnected: () => this.log.info('alerts: relay from the other nodes back (clients resynchronise on their next reconnect)'),
    });
  }

  private async heard(m: Message): Promise<void> {
    if (m.from === this.self) return;
    const alert = await getAlert(this.db, m.id);
    if (!alert) return;
    if (m.escalated) this.local.escalated?.([alert]);
    else this.local.publish(alert, m.isNew === true);
  }

  private tell(m: Omit<Message, 'from'>): void {
    this.db.notify!(ALERTS_CHANNEL, JSON.stringify({ from: this.self, ...m }))
      .catch((e: unknown) => this.log.warn('alerts: the other nodes could not be told of a change', { id: m.id, error: String(e) }));
  }

  publish(alert: Alert, isNew: boolean): void {
    this.local.publish(alert, isNew);
    this.tell({ id: alert.id, ...(isNew ? { isNew: true as const } : {}) });
  }

  escalated(alerts: Alert[]): void {
    this.local.escalated?.(alerts);
    for (const a of alerts) this.tell({ id: a.id, escalated: true });
  }

  close(): Promise<void> {
    return this.listening?.close() ?? Promise.resolve();
  }
}
