import type { SqlClient } from '../storage/sql-client.ts';
import { createSession, deleteSession, deleteSessionsOf, findSession, findUserForLogin, recordAccountSignIn, type Session, type User } from '../storage/accounts-repo.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'vigie_sid';

/** Sign-in and session lookup; the cookie holds a random id, the database its hash. */
export class Sessions {
  private ended: ((idHash: string) => void)[] = [];

  constructor(private readonly db: SqlClient, private readonly lifetimeMs: number, private readonly now: () => Date) {}

  /** Tells `listener` of each session signed out (by the hash of its id): what it holds open for it must close. */
  onEnded(listener: (idHash: string) => void): void {
    this.ended.push(listener);
  }

  async login(username: string, password: string): Promise<{ sid: string; user: User; csrf: string; expiresAt: Date } | undefined> {
    const found = await findUserForLogin(this.db, username);
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok) return undefined;
    const sid = newToken();
    const csrf = newToken(18);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await createSession(this.db, hashToken(sid), found.username, csrf, now, expiresAt);
    await recordAccountSignIn(this.db, found.username, now);
    const { passwordHash: _, ...user } = found;
    return { sid, user, csrf, expiresAt };
  }

  find(sid: string): Promise<Session | undefined> {
    return findSession(this.db, hashToken(sid), this.now());
  }

  async logout(sid: string): Promise<void> {
    const idHash = hashToken(sid);
    await deleteSession(this.db, idHash);
    for (const l of this.ended) l(idHash);
  }

  /**
   * Ends every session of an account (disabled, its role or password changed): its open
   * consoles close; but `keep` (the session of one changing their own password).
   */
  async endAllOf(username: string, keep?: string): Promise<number> {
    const ended = await deleteSessionsOf(this.db, username, keep === undefined ? undefined : hashToken(keep));
    for (const idHash of ended) for (const l of this.ended) l(idHash);
    return ended.length;
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
