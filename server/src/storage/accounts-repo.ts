import type { SqlClient } from './sql-client.ts';
import { iso } from './sql-client.ts';

export const ROLES = ['operator', 'supervisor', 'admin', 'wall'] as const;
export type Role = (typeof ROLES)[number];
export type User = { username: string; displayName: string; role: Role };
export type Session = { user: User; csrf: string; expiresAt: string };

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
