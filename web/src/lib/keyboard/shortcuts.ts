/** What the console does from the keyboard. */
export type Command = 'up' | 'down' | 'open' | 'close' | 'ack' | 'resolve' | 'dismiss' | 'reopen' | 'search' | 'comment' | 'mute' | 'feeds' | 'city';

export type KeyInput = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /**
   * What has the focus: a field that takes typing (`text`), a control that Enter already
   * activates (`control`: button, link), or anything else.
   */
  target: 'text' | 'control' | 'other';
  /** A menu or a dialog is open over the console (see `overlayOpen`): the keys are its own. */
  overlay: boolean;
};

const COMMANDS: Readonly<Record<string, Command>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  Enter: 'open',
  Escape: 'close',
  a: 'ack',
  r: 'resolve',
  d: 'dismiss',
  /** "Ouvrir à nouveau": a resolved or dismissed alert, still shown in the detail. */
  o: 'reopen',
  '/': 'search',
  c: 'comment',
  m: 'mute',
  f: 'feeds',
  v: 'city',
};

/** The command for a key press, or null to let the browser handle it. */
export function commandFor(input: KeyInput): Command | null {
  if (input.overlay || input.ctrlKey || input.metaKey || input.altKey || input.target === 'text') return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  const command = COMMANDS[key] ?? null;
  return command === 'open' && input.target === 'control' ? null : command;
}

/**
 * A key in the queue's search field that goes on to its results: ↓ or Entrée (unmodified, not
 * while an input method composes a word) move to the first alert shown, as ↓ does in the queue;
 * other keys are the field's (Échap is handled with the other fields'). Without this a keyboard
 * user had to Tab past "Filtres de la file" to reach the results.
 */
export function searchFieldCommand(input: Omit<KeyInput, 'target' | 'overlay'> & { isComposing?: boolean }): 'first' | null {
  if (input.ctrlKey || input.metaKey || input.altKey || input.isComposing) return null;
  return input.key === 'ArrowDown' || input.key === 'Enter' ? 'first' : null;
}

/** A row and the rows above and below it in the queue (null at an end), as they were when the operator acted on it. */
export type RowNeighbours = { id: string; above: string | null; below: string | null };

export function neighboursOf(ids: readonly string[], id: string): RowNeighbours | null {
  const at = ids.indexOf(id);
  return at === -1 ? null : { id, above: ids[at - 1] ?? null, below: ids[at + 1] ?? null };
}

/**
 * The id `delta` rows away from `current` in `ids` (clamped); the first row when none is
 * current. When the current row left the list (resolved, dismissed, filtered out), `lastIndex`
 * (where it was) keeps the operator's place: down goes to the row that took its place, up to
 * the one above it; without it, the list's first (down) or last (up) row. `actedOn`: the current
 * row's neighbours when the operator last acted on it: if it has moved away from them since,
 * one step goes to them (see below).
 */
export function moveCursor(ids: readonly string[], current: string | null, delta: number, lastIndex?: number, actedOn?: RowNeighbours): string | null {
  if (ids.length === 0) return null;
  // The row the operator acted on moved elsewhere in the order (acknowledged, under an order that
  // sorts by status): ↓ and ↑ go on from where it was, to the rows then below and above it.
  const neighbour = actedOn && actedOn.id === current ? (delta > 0 ? actedOn.below : actedOn.above) : null;
  if (neighbour !== null && current !== null && ids.includes(neighbour) && Math.abs(delta) === 1) {
    const now = neighboursOf(ids, current);
    if ((delta > 0 ? now?.below : now?.above) !== neighbour) return neighbour;
  }
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) {
    if (current !== null && lastIndex !== undefined && lastIndex >= 0) {
      const next = delta > 0 ? lastIndex + delta - 1 : lastIndex + delta;
      return ids[Math.min(ids.length - 1, Math.max(0, next))] ?? null;
    }
    return ids[delta < 0 ? ids.length - 1 : 0] ?? null;
  }
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))] ?? null;
}

/** Classify a key event's target for `commandFor`. */
export function targetKind(target: EventTarget | null): KeyInput['target'] {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return 'other';
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], dialog')) return 'text';
  if (target.closest('button, a[href], summary')) return 'control';
  return 'other';
}

/**
 * What is open over the page and takes the keys while it is: a dialog, a menu (WAI-ARIA
 * `role="menu"`, as the top bar's), a popup said open by its button, a list that says it takes
 * the keys while shown (`data-overlay`: the warnings' list). A disclosure (the queue's filters)
 * or the feed panel (F and Échap close it) is not one.
 */
const OVERLAY = 'dialog[open], [role="menu"], [aria-haspopup]:not([aria-haspopup="false"])[aria-expanded="true"], [data-overlay]';

/** Whether a menu or a dialog is open (shown) in `root`: the console's shortcuts then leave the keys alone. */
export function overlayOpen(root: Pick<ParentNode, 'querySelectorAll'>): boolean {
  for (const element of root.querySelectorAll(OVERLAY)) if (element.checkVisibility()) return true;
  return false;
}
