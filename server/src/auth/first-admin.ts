import type { Logger } from '../logger.ts';
import { countEnabledAdmins, upsertUser } from '../storage/accounts-repo.ts';
import { recordAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { hashPassword } from './passwords.ts';

/** What a start without an enabled administrator says (log and banner). */
export const NO_ADMIN_HINT = 'no administrator account: set VIGIE_ADMIN_PASSWORD (12+ characters) and start again to create the account admin';

export type FirstAdmin = 'created' | 'exists' | 'missing';

/**
 * `VIGIE_ADMIN_PASSWORD`: when no enabled administrator exists (a new deployment, a demo's data
 * whose demo `admin` a start outside demo mode just disabled, or the last one disabled by hand in
 * the database to recover), `admin` is made, or made an enabled administrator again, with this
 * password. With one, nothing changes: the variable left in a deployment's environment never
 * resets a password an administrator changed. Without either, a warning says how to make one.
 */
export async function ensureFirstAdmin(db: SqlClient, password: string | undefined, log: Logger, at = new Date()): Promise<FirstAdmin> {
  const admins = await countEnabledAdmins(db);
  if (admins > 0) {
    if (password) log.info(`VIGIE_ADMIN_PASSWORD not used: ${admins} enabled administrator${admins === 1 ? '' : 's'} exist${admins === 1 ? 's' : ''} (it only makes the first one)`, { admins });
    return 'exists';
  }
  if (!password) {
    log.warn(NO_ADMIN_HINT, {});
    return 'missing';
  }
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [before] = await tx.query<{ username: string }>(`SELECT username FROM users WHERE username = 'admin' FOR UPDATE`);
    await tx.query(`UPDATE users SET disabled = false, disabled_reason = NULL, updated_at = $1 WHERE username = 'admin'`, [at.toISOString()]);
    await upsertUser(tx, { username: 'admin', displayName: 'Administrateur', role: 'admin', passwordHash });
    await tx.query(`DELETE FROM sessions WHERE username = 'admin'`);
    await recordAudit(tx, at, 'system', before ? 'user.update' : 'user.create', 'admin',
      { role: 'admin', ...(before ? { disabled: false } : { displayName: 'Administrateur' }), password: '(VIGIE_ADMIN_PASSWORD)' });
  });
  log.warn('first administrator: the account admin was set from VIGIE_ADMIN_PASSWORD (no enabled administrator existed); sign in and change its password', {});
  return 'created';
}

/** The start banner's note when no enabled administrator exists ('' otherwise). */
export async function noAdminNote(db: SqlClient): Promise<string> {
  return (await countEnabledAdmins(db)) > 0 ? '' : ` (${NO_ADMIN_HINT})`;
}
