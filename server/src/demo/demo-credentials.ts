import { verifyPassword } from '../auth/passwords.ts';
import { hashToken } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';
import { demoSeeded, disableAccountFor, findAccountsForCheck, markDemoChecked, revokeToken } from '../storage/accounts-repo.ts';
import { recordAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { DEMO_ACCOUNTS, DEMO_FEED_TOKEN, DEMO_WALL_TOKEN, DISABLED_DEMO_PASSWORD } from './seed.ts';

export type DemoLeftovers = {
  /** Demo accounts disabled by this start: their demo password still opened them. */
  disabled: string[];
  /** Demo accounts left enabled: their password was changed since. */
  kept: string[];
  /** Demo tokens revoked by this start (their names). */
  feedTokens: string[];
  displayTokens: string[];
  /** Whether this database was seeded in demo mode (its mark, or demo credentials found). */
  wasDemo: boolean;
};

/**
 * A start outside demo mode: the demo's well-known credentials (README: `admin`/`admin`,
 * `demo-feed-token`, `demo-wall`...) must not open a real deployment set up on a demo's data
 * (`./data` is both modes' default). Every demo account its demo password still opens is
 * disabled (kept: the audit log and alerts name it; its sessions end), and the demo feed and
 * display tokens are revoked, each kind with one warning naming what and why, and an audit line
 * (actor `system`). Demo accounts whose password was changed are kept, with a warning.
 * A later demo start enables the accounts disabled here again (seed.ts).
 */
export async function disableDemoCredentials(db: SqlClient, log: Logger, at = new Date()): Promise<DemoLeftovers> {
  const accounts = (await findAccountsForCheck(db, DEMO_ACCOUNTS)).filter((a) => !a.disabled);
  const opened = await Promise.all(accounts.map((a) => verifyPassword(a.username, a.passwordHash)));
  const disabled: string[] = [];
  const kept: string[] = [];
  for (const [i, a] of accounts.entries()) {
    if (!opened[i]) kept.push(a.username);
    else if (await disableAccountFor(db, a.username, a.passwordHash, DISABLED_DEMO_PASSWORD, at)) {
      disabled.push(a.username);
      await recordAudit(db, at, 'system', 'user.update', a.username, { disabled: true, reason: DISABLED_DEMO_PASSWORD });
    }
  }
  const revoke = async (table: 'feed_tokens' | 'display_tokens', token: string, action: string) => {
    const tokenHash = hashToken(token);
    const name = await revokeToken(db, table, tokenHash);
    if (name !== undefined) await recordAudit(db, at, 'system', action, tokenHash, { name, reason: 'demo-token' });
    return name === undefined ? [] : [token];
  };
  const feedTokens = await revoke('feed_tokens', DEMO_FEED_TOKEN, 'feed-token.revoke');
  const displayTokens = await revoke('display_tokens', DEMO_WALL_TOKEN, 'display-token.revoke');
  const seeded = await demoSeeded(db);
  const wasDemo = Boolean(seeded) || disabled.length > 0 || feedTokens.length > 0 || displayTokens.length > 0;

  const why = 'this start is not in demo mode and the demo credentials are public (README)';
  if (disabled.length) {
    log.warn(`demo accounts disabled: ${disabled.join(', ')} still had their demo password (${disabled.map((u) => `${u}/${u}`).join(', ')}); ${why}. They are kept, disabled: an administrator may enable one again with a new password`, { accounts: disabled, reason: DISABLED_DEMO_PASSWORD });
  }
  if (feedTokens.length) log.warn(`demo feed token revoked: ${feedTokens.join(', ')}; ${why}`, { tokens: feedTokens });
  if (displayTokens.length) log.warn(`demo display token revoked: ${displayTokens.join(', ')} (its wall layout with it); ${why}`, { tokens: displayTokens });
  // Once after each demo start (or on the first start after an upgrade, for a database seeded before the mark).
  const keptDemo = wasDemo ? kept : [];
  if (wasDemo && (!seeded || !seeded.checkedAt || seeded.checkedAt < seeded.lastAt)) {
    const keptNote = keptDemo.length ? `the demo accounts ${keptDemo.join(', ')} were kept, enabled, as their passwords were changed since; ` : '';
    log.warn(`this database was seeded in demo mode${seeded ? ` (${seeded.firstAt} to ${seeded.lastAt})` : ''}: ${keptNote}its accounts, tokens, zones, events and alerts may be the demo's: check them before relying on it`,
      { keptAccounts: keptDemo, ...(seeded ? { demoSeeded: { firstAt: seeded.firstAt, lastAt: seeded.lastAt } } : {}) });
    if (seeded) await markDemoChecked(db, at);
  }
  return { disabled, kept: keptDemo, feedTokens, displayTokens, wasDemo };
}
