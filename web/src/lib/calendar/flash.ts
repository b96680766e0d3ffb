import type { MessageKey, Params } from '../i18n/translate.ts';

/**
 * What a page of the calendar says it has just done ("Événement « X » créé."), to be said by
 * the page it goes to next (`path`): the form and the delete button navigate as soon as the
 * server answers, and the message must outlive that navigation. Kept as a key and its
 * parameters, so that it follows the console's language; taken once, and only for a short
 * while (a navigation that never happened leaves nothing to say later, elsewhere).
 */
export type Flash = { path: string; key: MessageKey; params: Params; at: number };

/** How long a message waits for its page (ms). */
export const FLASH_WAIT_MS = 30_000;

let pending: Flash | null = null;

/** Says `key` on the page at `path` (a pathname, `/events/<id>`), when it opens next. */
export function flash(path: string, key: MessageKey, params: Params = {}, now = Date.now()): void {
  pending = { path, key, params, at: now };
}

/** The message for the page at `path`, once: null when there is none, it is another page's, or it waited too long. */
export function takeFlash(path: string, now = Date.now()): Flash | null {
  const f = pending;
  if (!f || f.path !== path) return null;
  pending = null;
  return now - f.at <= FLASH_WAIT_MS ? f : null;
}
