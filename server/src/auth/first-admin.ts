import type { Logger } from '../logger.ts';
import { countEnabledAdmins, upsertUser } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { hashPassword } from './passwords.ts';

/**
 * `VIGIE_ADMIN_PASSWORD`: when no enabled administrator exists (a new deployment, or the last
 * one disabled by hand in the database to recover), `admin` is made, or made an enabled
 * administrator again, with this password. With one, nothing changes: the variable left in
 * a deployment's environment never resets a password an administrator changed.
 */
export async function ensureFirstAdmin(db: SqlClient, password: string | undefined, log: Logger): Promise<boolean> {
  if (!password || (await countEnabledAdmins(db)) > 0) return false;
  await db.query(`UPDATE users SET disabled = false WHERE username = 'admin'`);
  await upsertUser(db, { username: 'admin', displayName: 'Administrateur', role: 'admin', passwordHash: await hashPassword(password) });
  log.warn('first administrator: the account admin was set from VIGIE_ADMIN_PASSWORD (no enabled administrator existed); sign in and change its password', {});
  return true;
}
