import type { Logger } from '../logger.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { RedisLink } from './redis-link.ts';

/**
 * Tells the other nodes that something changed in the database (the rules; the zones, with
 * their own channel), and hears them.
 */
export interface NodeNotifier {
  notify(ruleId: string): Promise<void>;
  close(): Promise<void>;
}

export const RULES_CHANNEL = 'vigie:rules:changed';

/** A single node (no Redis): nobody else to tell. */
export const localNotifier: NodeNotifier = { notify: async () => {}, close: async () => {} };

/**
 * Redis pub/sub: every node reloads the rules (or what `channel` is about) from the database
 * when one publishes; after Redis was away, the node reloads too (a publish may have been
 * missed meanwhile). `signal`: give up connecting (the node stopping while it starts).
 */
export async function redisNotifier(redis: RedisLink, onChange: (ruleId: string) => void, channel = RULES_CHANNEL, signal?: AbortSignal): Promise<NodeNotifier> {
  const pub = redis.client();
  const sub = redis.client();
  let heard = false;
  sub.on('ready', () => {
    if (heard) onChange('reconnected');
  });
  try {
    await redis.connect(pub, signal);
    await redis.connect(sub, signal);
    await sub.subscribe(channel, (message) => onChange(message));
  } catch (e) {
    await Promise.all([redis.close(pub), redis.close(sub)]);
    throw e;
  }
  heard = true;
  return {
    async notify(ruleId) {
      await pub.publish(channel, ruleId);
    },
    async close() {
      await Promise.all([redis.close(sub), redis.close(pub)]);
    },
  };
}

export const PG_RULES_CHANNEL = 'vigie_rules_changed';

/**
 * PostgreSQL's LISTEN/NOTIFY, for nodes that share a PostgreSQL database but no Redis: the
 * same as `redisNotifier`; after a lost connection the node reloads (a publish may have been
 * missed meanwhile).
 */
export async function pgNotifier(db: SqlClient, log: Logger, onChange: (ruleId: string) => void, channel = PG_RULES_CHANNEL): Promise<NodeNotifier> {
  if (!db.listen || !db.notify) throw new Error('pgNotifier needs PostgreSQL');
  const notify = db.notify.bind(db);
  const listening = await db.listen(channel, {
    message: onChange,
    reconnected: () => { log.info('notifier: listening again on PostgreSQL', { channel }); onChange('reconnected'); },
    lost: (error, retryMs) => log.warn('notifier: PostgreSQL connection lost', { channel, error: String(error), retryMs }),
  });
  return { notify: (ruleId) => notify(channel, ruleId), close: () => listening.close() };
}
