import { createClient } from 'redis';
import type { Logger } from '../logger.ts';
import type { SqlClient } from '../storage/sql-client.ts';

/** Tells the other nodes that the rules changed in the database, and hears them. */
export interface RuleNotifier {
  notify(ruleId: string): Promise<void>;
  close(): Promise<void>;
}

export const RULES_CHANNEL = 'vigie:rules:changed';

/** A single node (no Redis): nobody else to tell. */
export const localNotifier: RuleNotifier = { notify: async () => {}, close: async () => {} };

/** Redis pub/sub: every node reloads the rules from the database when one publishes. */
export async function redisNotifier(url: string, log: Logger, onChange: (ruleId: string) => void): Promise<RuleNotifier> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: unknown) => log.warn('rules notifier: redis error', { error: String(e) }));
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(RULES_CHANNEL, (message) => onChange(message));
  return {
    async notify(ruleId) {
      await pub.publish(RULES_CHANNEL, ruleId);
    },
    async close() {
      await Promise.all([sub.close().catch(() => {}), pub.close().catch(() => {})]);
    },
  };
}

export const PG_RULES_CHANNEL = 'vigie_rules_changed';

/**
 * PostgreSQL's LISTEN/NOTIFY, for nodes that share a PostgreSQL database but no Redis: the
 * same as `redisNotifier`; after a lost connection the node reloads (a publish may have been
 * missed meanwhile).
 */
export async function pgNotifier(db: SqlClient, log: Logger, onChange: (ruleId: string) => void): Promise<RuleNotifier> {
  if (!db.listen || !db.notify) throw new Error('pgNotifier needs PostgreSQL');
  const notify = db.notify.bind(db);
  const listening = await db.listen(PG_RULES_CHANNEL, {
    message: onChange,
    reconnected: () => { log.info('rules notifier: listening again on PostgreSQL'); onChange('reconnected'); },
    lost: (error, retryMs) => log.warn('rules notifier: PostgreSQL connection lost', { error: String(error), retryMs }),
  });
  return { notify: (ruleId) => notify(PG_RULES_CHANNEL, ruleId), close: () => listening.close() };
}
