import { createClient } from 'redis';
import type { Logger } from '../logger.ts';

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
