import type { SqlClient } from './sql-client.ts';
import { iso } from './sql-client.ts';

export const ROLES = ['operator', 'supervisor', 'admin', 'wall'] as const;
export type Role = (typeof ROLES)[number];
export type User = { username: string; displayName: string; role: Role };
export type Session = { user: User; csrf: string; expiresAt: string };
/** An account as administrators see it (never its password hash). */
export type Account = User & { disabled: boolean; createdAt: string; updatedAt: string | null; lastSignInAt: string | null };
/** A feed or display token as administrators see it: its id is the token's hash, never the token. */
export type TokenInfo = { id: string; name: string; createdBy: string | null; createdAt: string; lastUsedAt: string | null };
export type FeedTokenInfo = TokenInfo & { sources: string[] | null };

export async function upsertUser(db: SqlClient, u: User & { passwordHash: string }): Promise<void> {
  await db.query(
    `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash`,
    [u.username, u.displayName, u.role, u.passwordHash],
  );
}

export async function findUserForLogin(db: SqlClient, username: string): Promise<(User & { passwordHash: string }) | undefined> {
  const [r] = await db.query<{ username: string; display_name: string; role: Role; password_hash: string }>(
    'SELECT username, display_name, role, password_hash FROM users WHERE username = $1 AND NOT disabled', [username]);
  return r && { username: r.username, displayName: r.display_name, role: r.role, passwordHash: r.password_hash };
}

export async function createSession(db: SqlClient, idHash: string, username: string, csrf: string, now: Date, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO sessions (id_hash, username, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [idHash, username, csrf, now.toISOString(), expiresAt.toISOString()]);
}

export async function findSession(db: SqlClient, idHash: string, now: Date): Promise<Session | undefined> {
  const [r] = await db.query<{ username: string; display_name: string; role: Role; csrf: string; expires_at: unknown }>(
    `SELECT u.username, u.display_name, u.role, s.csrf, s.expires_at FROM sessions s JOIN users u USING (username)
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, [idHash, now.toISOString()]);
  return r && { user: { username: r.username, displayName: r.display_name, role: r.role }, csrf: r.csrf, expiresAt: iso(r.expires_at) };
}

export async function deleteSession(db: SqlClient, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

export async function purgeExpiredSessions(db: SqlClient, now: Date): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
}

export async function upsertFeedToken(db: SqlClient, tokenHash: string, name: string, sources: string[] | null): Promise<void> {
  await db.query(
    `INSERT INTO feed_tokens (token_hash, name, sources) VALUES ($1, $2, $3)
     ON CONFLICT (token_hash) DO UPDATE SET name = EXCLUDED.name, sources = EXCLUDED.sources`,
    [tokenHash, name, sources === null ? null : JSON.stringify(sources)]);
}

export async function findFeedToken(db: SqlClient, tokenHash: string): Promise<{ name: string; sources: string[] | null } | undefined> {
  const [r] = await db.query<{ name: string; sources: string[] | null }>('SELECT name, sources FROM feed_tokens WHERE token_hash = $1', [tokenHash]);
  return r;
}

export async function upsertDisplayToken(db: SqlClient, tokenHash: string, name: string): Promise<void> {
  await db.query('INSERT INTO display_tokens (token_hash, name) VALUES ($1, $2) ON CONFLICT (token_hash) DO UPDATE SET name = EXCLUDED.name', [tokenHash, name]);
}

export async function findDisplayToken(db: SqlClient, tokenHash: string): Promise<{ name: string } | undefined> {
  const [r] = await db.query<{ name: string }>('SELECT name FROM display_tokens WHERE token_hash = $1', [tokenHash]);
  return r;
}

type AccountRow = { username: string; display_name: string; role: Role; disabled: boolean; created_at: unknown; updated_at: unknown; last_sign_in_at: unknown };
const toAccount = (r: AccountRow): Account => ({
  username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled,
  createdAt: iso(r.created_at), updatedAt: r.updated_at ? iso(r.updated_at) : null, lastSignInAt: r.last_sign_in_at ? iso(r.last_sign_in_at) : null,
});
const ACCOUNT_COLUMNS = 'username, display_name, role, disabled, created_at, updated_at, last_sign_in_at';

export async function listAccounts(db: SqlClient): Promise<Account[]> {
  return (await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users ORDER BY username`)).map(toAccount);
}

export async function getAccount(db: SqlClient, username: string): Promise<Account | undefined> {
  const [r] = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE username = $1`, [username]);
  return r && toAccount(r);
}

/** A new account; undefined when the username is taken. */
export async function createAccount(db: SqlClient, u: User & { passwordHash: string }, at: Date): Promise<Account | undefined> {
  const [r] = await db.query<AccountRow>(
    `INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING RETURNING ${ACCOUNT_COLUMNS}`,
    [u.username, u.displayName, u.role, u.passwordHash, at.toISOString()]);
  return r && toAccount(r);
}

export type AccountChange = { displayName?: string; role?: Role; disabled?: boolean; passwordHash?: string };

/**
 * Changes an account in a transaction that first locks the enabled administrators: a change
 * that would leave none (the last one disabled or given another role) is refused ('last-admin'),
 * even when two administrators change each other at once. Undefined when there is no such account.
 */
export async function updateAccount(db: SqlClient, username: string, c: AccountChange, at: Date): Promise<Account | 'last-admin' | undefined> {
  return db.transaction(async (tx) => {
    const admins = (await tx.query<{ username: string }>(`SELECT username FROM users WHERE role = 'admin' AND NOT disabled ORDER BY username FOR UPDATE`)).map((r) => r.username);
    const [current] = await tx.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE username = $1 FOR UPDATE`, [username]);
    if (!current) return undefined;
    const staysAdmin = (c.role ?? current.role) === 'admin' && !(c.disabled ?? current.disabled);
    if (admins.includes(username) && !staysAdmin && admins.length === 1) return 'last-admin';
    const [r] = await tx.query<AccountRow>(
      `UPDATE users SET display_name = coalesce($2, display_name), role = coalesce($3, role), disabled = coalesce($4, disabled),
              password_hash = coalesce($5, password_hash), updated_at = $6,
              disabled_reason = CASE WHEN $4::boolean IS NULL THEN disabled_reason END
        WHERE username = $1 RETURNING ${ACCOUNT_COLUMNS}`,
      [username, c.displayName ?? null, c.role ?? null, c.disabled ?? null, c.passwordHash ?? null, at.toISOString()]);
    return toAccount(r!);
  });
}

export async function countEnabledAdmins(db: SqlClient): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`);
  return r?.n ?? 0;
}

/** The accounts named, with their password hashes, for checks at start (demo passwords). */
export async function findAccountsForCheck(db: SqlClient, usernames: readonly string[]): Promise<{ username: string; role: Role; disabled: boolean; passwordHash: string }[]> {
  if (usernames.length === 0) return [];
  const rows = await db.query<{ username: string; role: Role; disabled: boolean; password_hash: string }>(
    `SELECT username, role, disabled, password_hash FROM users WHERE username IN (${usernames.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY username`, [...usernames]);
  return rows.map((r) => ({ username: r.username, role: r.role, disabled: r.disabled, passwordHash: r.password_hash }));
}

/**
 * Disables an account for `reason` (kept: the audit log and alerts name it) and ends its sessions,
 * only if it is enabled and its password hash is still `passwordHash` (a password changed meanwhile,
 * on another node, keeps it). Whether it was disabled.
 */
export async function disableAccountFor(db: SqlClient, username: string, passwordHash: string, reason: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx.query(
      `UPDATE users SET disabled = true, disabled_reason = $3, updated_at = $4 WHERE username = $1 AND password_hash = $2 AND NOT disabled RETURNING 1`,
      [username, passwordHash, reason, at.toISOString()]);
    if (done.length === 0) return false;
    await tx.query('DELETE FROM sessions WHERE username = $1', [username]);
    return true;
  });
}

/** Enables again the accounts named that were disabled for `reason` (and by nothing else since); their names. */
export async function enableAccountsDisabledFor(db: SqlClient, usernames: readonly string[], reason: string): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await db.query<{ username: string }>(
    `UPDATE users SET disabled = false, disabled_reason = NULL
      WHERE disabled AND disabled_reason = $1 AND username IN (${usernames.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING username`,
    [reason, ...usernames]);
  return rows.map((r) => r.username).sort();
}

/** Notes that demo mode seeded this database (the first and the latest time). */
export async function markDemoSeeded(db: SqlClient, at: Date): Promise<void> {
  await db.query(`INSERT INTO demo_seed (id, first_at, last_at) VALUES (true, $1, $1) ON CONFLICT (id) DO UPDATE SET last_at = EXCLUDED.last_at`, [at.toISOString()]);
}

/** When demo mode seeded this database, if it ever did, and when a start outside demo mode last said so. */
export async function demoSeeded(db: SqlClient): Promise<{ firstAt: string; lastAt: string; checkedAt: string | null } | undefined> {
  const [r] = await db.query<{ first_at: unknown; last_at: unknown; checked_at: unknown }>('SELECT first_at, last_at, checked_at FROM demo_seed');
  return r && { firstAt: iso(r.first_at), lastAt: iso(r.last_at), checkedAt: r.checked_at ? iso(r.checked_at) : null };
}

/** Notes that a start outside demo mode said this database was seeded in demo mode. */
export async function markDemoChecked(db: SqlClient, at: Date): Promise<void> {
  await db.query('UPDATE demo_seed SET checked_at = $1', [at.toISOString()]);
}

/** Revokes a feed or display token by its hash (a display token's wall layout goes with it); its name, if it existed. */
export async function revokeToken(db: SqlClient, table: 'feed_tokens' | 'display_tokens', tokenHash: string): Promise<string | undefined> {
  const [r] = await db.query<{ name: string }>(`DELETE FROM ${table} WHERE token_hash = $1 RETURNING name`, [tokenHash]);
  return r?.name;
}

export async function recordAccountSignIn(db: SqlClient, username: string, at: Date): Promise<void> {
  await db.query('UPDATE users SET last_sign_in_at = $2 WHERE username = $1', [username, at.toISOString()]);
}

/** Ends every session of an account but `keep` (an id's hash); the hashes of their ids (what holds them open must close). */
export async function deleteSessionsOf(db: SqlClient, username: string, keep?: string): Promise<string[]> {
  return (await db.query<{ id_hash: string }>('DELETE FROM sessions WHERE username = $1 AND id_hash IS DISTINCT FROM $2 RETURNING id_hash', [username, keep ?? null])).map((r) => r.id_hash);
}

type TokenRow = { token_hash: string; name: string; created_by: string | null; created_at: unknown; last_used_at: unknown; sources?: string[] | null };
const toToken = (r: TokenRow): TokenInfo => ({ id: r.token_hash, name: r.name, createdBy: r.created_by, createdAt: iso(r.created_at), lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null });

export async function listFeedTokens(db: SqlClient): Promise<FeedTokenInfo[]> {
  return (await db.query<TokenRow>('SELECT token_hash, name, sources, created_by, created_at, last_used_at FROM feed_tokens ORDER BY created_at, name'))
    .map((r) => ({ ...toToken(r), sources: r.sources ?? null }));
}

export async function createFeedToken(db: SqlClient, tokenHash: string, name: string, sources: string[] | null, by: string, at: Date): Promise<FeedTokenInfo> {
  const [r] = await db.query<TokenRow>(
    `INSERT INTO feed_tokens (token_hash, name, sources, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
     RETURNING token_hash, name, sources, created_by, created_at, last_used_at`,
    [tokenHash, name, sources === null ? null : JSON.stringify(sources), by, at.toISOString()]);
  return { ...toToken(r!), sources: r!.sources ?? null };
}

export async function deleteFeedToken(db: SqlClient, tokenHash: string): Promise<boolean> {
  return (await db.query('DELETE FROM feed_tokens WHERE token_hash = $1 RETURNING 1', [tokenHash])).length > 0;
}

export async function listDisplayTokens(db: SqlClient): Promise<TokenInfo[]> {
  return (await db.query<TokenRow>('SELECT token_hash, name, created_by, created_at, last_used_at FROM display_tokens ORDER BY created_at, name')).map(toToken);
}

/** Makes a display token; undefined when one has that name already (a wall screen is set up by its name). */
export async function createDisplayToken(db: SqlClient, tokenHash: string, name: string, by: string, at: Date): Promise<TokenInfo | undefined> {
  const [r] = await db.query<TokenRow>(
    `INSERT INTO display_tokens (token_hash, name, created_by, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO NOTHING
     RETURNING token_hash, name, created_by, created_at, last_used_at`, [tokenHash, name, by, at.toISOString()]);
  return r ? toToken(r) : undefined;
}

/** Revokes a display token (its wall's layout goes with it). */
export async function deleteDisplayToken(db: SqlClient, tokenHash: string): Promise<boolean> {
  return (await db.query('DELETE FROM display_tokens WHERE token_hash = $1 RETURNING 1', [tokenHash])).length > 0;
}

/** Marks a token used at `at`, at most once a minute (a feed posting every second writes once a minute). */
export async function touchToken(db: SqlClient, table: 'feed_tokens' | 'display_tokens', tokenHash: string, at: Date): Promise<void> {
  await db.query(`UPDATE ${table} SET last_used_at = $2 WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
    [tokenHash, at.toISOString(), new Date(at.getTime() - 60_000).toISOString()]);
}
