import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { localNotifier, pgNotifier, redisNotifier, type NodeNotifier } from './node-notifier.ts';
import type { SqlClient } from '../storage/sql-client.ts';

export const ZONES_CHANNEL = 'vigie:zones:changed';
export const PG_ZONES_CHANNEL = 'vigie_zones_changed';

/**
 * Keeps every node on the same zones. The node where they changed (a CAP warning came or
 * went, an import, a purge) applies the change at once, then tells the others (Redis pub/sub,
 * or PostgreSQL's LISTEN/NOTIFY without Redis), which apply it in turn; a node that lost its
 * listening connection applies it on reconnecting (a change may have been missed). `apply`
 * reads the zones from the database and hands them to this node's engine and clients.
 */
export class ZonesSync {
  /** This process, so that it passes over its own notifications. */
  private readonly self = randomUUID();
  private notifier: NodeNotifier = localNotifier;
  /** One apply at a time, in order. */
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlClient, private readonly log: Logger, private readonly apply: () => Promise<void>) {}

  async listen(redisUrl: string | undefined): Promise<void> {
    const heard = (from: string) => {
      if (from !== this.self) void this.run(`node notification (${from})`);
    };
    if (redisUrl) this.notifier = await redisNotifier(redisUrl, this.log, heard, ZONES_CHANNEL);
    else if (this.db.listen) this.notifier = await pgNotifier(this.db, this.log, heard, PG_ZONES_CHANNEL);
  }

  /** The zones changed on this node: applied here, then the other nodes are told. */
  async changed(): Promise<void> {
    await this.run('changed here');
    await this.notifier.notify(this.self).catch((e: unknown) => this.log.warn('zones: could not notify the other nodes', { error: String(e) }));
  }

  private run(why: string): Promise<void> {
    const next = this.applying.then(() => this.apply()).catch((e: unknown) => this.log.warn('zones: could not apply a change', { why, error: String(e) }));
    this.applying = next;
    return next;
  }

  close(): Promise<void> {
    return this.notifier.close();
  }
}
