import { touchToken } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

const EVERY_MS = 60_000;
/** Per database: when this process last wrote each token's use. */
const written = new WeakMap<SqlClient, Map<string, number>>();

/**
 * Notes that a feed or display token was used, for administrators deciding which to revoke:
 * written at most once a minute per token and process (a feed posting every second costs one
 * write a minute, none per request), in the background (a failed write costs the request nothing).
 */
export function tokenUsed(db: SqlClient, table: 'feed_tokens' | 'display_tokens', tokenHash: string, at = new Date()): void {
  let last = written.get(db);
  if (!last) written.set(db, (last = new Map()));
  const key = `${table}|${tokenHash}`;
  if (at.getTime() - (last.get(key) ?? -Infinity) < EVERY_MS) return;
  last.set(key, at.getTime());
  if (last.size > 10_000) last.delete(last.keys().next().value!);
  touchToken(db, table, tokenHash, at).catch(() => last.delete(key));
}
