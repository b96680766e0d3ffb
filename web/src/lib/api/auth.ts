import { ApiError, type Http } from './http.ts';
import type { Session } from './types.ts';

export const AUTH_INVALID = 'VIGIE_AUTH_INVALID';

/** Sign in; on success the client remembers the CSRF token for later writes. */
export async function login(http: Http, username: string, password: string): Promise<Session> {
  const session = await http.post<Session>('/api/v1/auth/login', { username, password });
  http.csrfToken = session.csrfToken;
  return session;
}

/** The current session, or `null` when there is none (401). */
export async function currentSession(http: Http): Promise<Session | null> {
  try {
    const session = await http.get<Session>('/api/v1/auth/me');
    http.csrfToken = session.csrfToken;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function logout(http: Http): Promise<void> {
  try {
    await http.post<void>('/api/v1/auth/logout');
  } finally {
    http.csrfToken = null;
  }
}
