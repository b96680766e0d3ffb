import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { localNotifier, pgNotifier, redisNotifier, type NodeNotifier } from './node-notifier.ts';
import type { RedisLink } from './redis-link.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** What changes on one node and must be applied on all: its name (for the logs) and its channels. */
export type Shared = { what: string; redisChannel: string; pgChannel: string };

/** The zones: a CAP warning came or went, an import, a purge. */
export const ZONES: Shared = { what: 'zones', redisChannel: 'vigie:zones:changed', pgChannel: 'vigie_zones_changed' };
/** The feed configurations (polled URLs, MQTT mappings): an admin added, changed or turned one off. */
export const FEED_CONFIGS: Shared = { what: 'feed configurations', redisChannel: 'vigie:feeds:changed', pgChannel: 'vigie_feeds_changed' };

/**
 * Keeps every node on the same state of something stored (the zones, the feed
 * configurations). The node where it changed applies the change at once, then tells the
 * others (Redis pub/sub, or PostgreSQL's LISTEN/NOTIFY without Redis), which apply it in
 * turn; a node that lost its listening connection applies it on reconnecting (a change may
 * have been missed). `apply` reads the state from the database and hands it on.
 */
export class ChangeSync {
  /** This process, so that it passes over its own notifications. */
  private readonly self = randomUUID();
  private notifier: NodeNotifier = localNotifier;
  /** One apply at a time, in order. */
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlClient, private readonly log: Logger, private readonly shared: Shared, private readonly apply: () => Promise<void>) {}

  /** `redis`: this node's link to Redis (REDIS_URL set); `signal`: give up connecting (the node stopping while it starts). */
  async listen(redis: RedisLink | undefined, signal?: AbortSignal): Promise<void> {
    const heard = (from: string) => {
      if (from !== this.self) void this.run(`node notification (${from})`);
    };
    if (redis) this.notifier = await redisNotifier(redis, heard, this.shared.redisChannel, signal);
    else if (this.db.listen) this.notifier = await pgNotifier(this.db, this.log, heard, this.shared.pgChannel);
  }

  /** Changed on this node: applied here, then the other nodes are told. */
  async changed(): Promise<void> {
    await this.run('changed here');
    await this.notifier.notify(this.self).catch((e: unknown) => this.log.warn(`${this.shared.what}: could not notify the other nodes`, { error: String(e) }));
  }

  private run(why: string): Promise<void> {
    const next = this.applying.then(() => this.apply()).catch((e: unknown) => this.log.warn(`${this.shared.what}: could not apply a change`, { why, error: String(e) }));
    this.applying = next;
    return next;
  }

  close(): Promise<void> {
    return this.notifier.close();
  }
}
