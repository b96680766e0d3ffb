import type { Http } from './http.ts';
import type { User } from './types.ts';

/** Roles an account may have (a wall screen opens with a display token, not an account). */
export const ACCOUNT_ROLES = ['operator', 'supervisor', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
/** The server's minimum (`MIN_PASSWORD`), checked here too so that the form says it before sending. */
export const MIN_PASSWORD = 12;

/** `GET /api/v1/users` (admin): an account, never its password. */
export type Account = User & { disabled: boolean; createdAt: string; updatedAt: string | null; lastSignInAt: string | null };
export type NewAccount = { username: string; displayName: string; role: AccountRole; password: string };
export type AccountChange = { displayName?: string; role?: AccountRole; disabled?: boolean; password?: string };

/** A feed or display token as listed: its id is the token's hash; the token itself is given once, when made. */
export type TokenInfo = { id: string; name: string; createdBy: string | null; createdAt: string; lastUsedAt: string | null };
export type FeedToken = TokenInfo & { sources: string[] | null };
export type TokenKind = 'feed' | 'display';

/** `GET /api/v1/people` (anyone signed in): each account's username and display name, nothing else. */
export type Person = { username: string; displayName: string };
export const listPeople = async (http: Http): Promise<Person[]> => (await http.get<{ people: Person[] }>('/api/v1/people')).people;

export const listAccounts = async (http: Http): Promise<Account[]> => (await http.get<{ users: Account[] }>('/api/v1/users')).users;
export const createAccount = (http: Http, body: NewAccount): Promise<Account> => http.post<Account>('/api/v1/users', body);
export const updateAccount = (http: Http, username: string, change: AccountChange): Promise<Account> =>
  http.request<Account>('PATCH', `/api/v1/users/${encodeURIComponent(username)}`, change);

const tokensPath = (kind: TokenKind) => (kind === 'feed' ? '/api/v1/feed-tokens' : '/api/v1/display-tokens');
export const listTokens = async (http: Http, kind: TokenKind): Promise<FeedToken[]> =>
  (await http.get<{ tokens: (TokenInfo & { sources?: string[] | null })[] }>(tokensPath(kind))).tokens.map((t) => ({ ...t, sources: t.sources ?? null }));
/** Makes a token; the answer holds the token itself, shown once. */
export const createToken = (http: Http, kind: TokenKind, body: { name: string; sources?: string[] | null }): Promise<FeedToken & { token: string }> =>
  http.post(tokensPath(kind), kind === 'feed' ? { name: body.name, sources: body.sources ?? null } : { name: body.name });
export const revokeToken = (http: Http, kind: TokenKind, id: string): Promise<void> => http.request<void>('DELETE', `${tokensPath(kind)}/${encodeURIComponent(id)}`);

/** The sources a feed token may send for, from a field of names separated by commas or spaces (empty: any source). */
export function parseSources(text: string): string[] | null {
  const names = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  return names.length ? [...new Set(names)] : null;
}

/** The address a wall screen opens with its display token. */
export const wallAddress = (origin: string, token: string): string => `${origin}/wall?token=${encodeURIComponent(token)}`;
