/** What an operator typed and the server has not taken yet, per alert: comments, assignees, reasons to reopen. */
export type Drafts = { comment: Record<string, string>; assign: Record<string, string>; reopen: Record<string, string> };

/** Something like `sessionStorage` (the tab's own, gone with it). */
type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyOf = (username: string) => `vigie.drafts.${username}`;
const KINDS = ['comment', 'assign', 'reopen'] as const;

/**
 * Keeps the drafts in the tab's storage, per user: a session that ends (expired, signed out
 * elsewhere) sends the console to sign-in, and the same user finds them again once back. Only
 * texts with something in them are kept; none at all, nothing is.
 */
export function keepDrafts(store: Store, username: string, drafts: Drafts): void {
  const kept: Partial<Drafts> = {};
  for (const kind of KINDS) {
    const filled = Object.entries(drafts[kind]).filter(([, text]) => text.trim() !== '');
    if (filled.length) kept[kind] = Object.fromEntries(filled);
  }
  try {
    if (Object.keys(kept).length) store.setItem(keyOf(username), JSON.stringify(kept));
    else store.removeItem(keyOf(username));
  } catch {
    // Storage full or refused (a private window): the drafts stay in the page only.
  }
}

/** The drafts kept for `username` (empty when none, or unreadable). */
export function keptDrafts(store: Store, username: string): Drafts {
  const out: Drafts = { comment: {}, assign: {}, reopen: {} };
  try {
    const kept = JSON.parse(store.getItem(keyOf(username)) ?? '{}') as Partial<Record<string, unknown>>;
    for (const kind of KINDS) {
      const texts = kept[kind];
      if (texts && typeof texts === 'object') for (const [id, text] of Object.entries(texts)) if (typeof text === 'string') out[kind][id] = text;
    }
  } catch {
    // Unreadable: none.
  }
  return out;
}

/** Forgets the drafts kept for `username` (signed out on purpose). */
export function dropDrafts(store: Store, username: string): void {
  try {
    store.removeItem(keyOf(username));
  } catch {
    // Nothing kept.
  }
}
