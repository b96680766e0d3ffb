/**
 * People by their display names where the console knows them. Alerts carry usernames (an
 * assignee taken with "Moi", the author of a history entry); the console knows the display name
 * of the user signed in at once, and every account's once `GET /api/v1/people` answered. Anyone
 * else (an account made since), or an assignee typed by hand ("Patrouille 2"), reads as written.
 */
export type People = ReadonlyMap<string, string>;

export const NO_PEOPLE: People = new Map();

/** Usernames to display names, from accounts as the API gives them (blank names left out). */
export function peopleFrom(users: readonly { username: string; displayName?: string | null }[]): People {
  const out = new Map<string, string>();
  for (const u of users) {
    const name = u.displayName?.trim();
    if (name) out.set(u.username, name);
  }
  return out;
}

/** The display name of `username` when known, else `username` as it is. */
export function personName(username: string, people: People): string {
  return people.get(username) ?? username;
}
