/** One HMAC key and the id stored beside what it produced. */
export type Key = { id: string; key: string };
/** The current key (used for new pseudonyms) and earlier ones (still recognised after a rotation). */
export type Keyring = { current: Key; previous: Key[] };

/**
 * Reads `id=key,id=key` (the earlier keys of a rotation); a bad entry throws naming its
 * position (1 for the first), never its text: it may hold a key, and the message goes to the
 * logs. Keys live in the environment, never in the database.
 */
export function parsePreviousKeys(text: string | undefined): Key[] {
  if (!text) return [];
  return text.split(',').map((e) => e.trim()).flatMap((entry, n) => {
    if (!entry) return [];
    const i = entry.indexOf('=');
    const id = entry.slice(0, i), key = entry.slice(i + 1);
    if (i <= 0 || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length < 16) throw new Error(`item ${n + 1}: expected id=key (id 1-16 letters or digits, key 16+ characters)`);
    return [{ id, key }];
  });
}
