/**
 * Where the focus goes when what had it goes away: a dialog closes, an alert leaves the
 * queue, a field is left with Escape. The focus never falls to the page body: it goes back
 * to the first candidate that can still take it (the element that opened a dialog, else the
 * queue's highlighted row, else the queue itself).
 */

/** The first candidate that `canFocus` accepts (null and undefined are skipped). */
export function pickFocusable<T, U extends T>(candidates: Iterable<T | null | undefined>, canFocus: (candidate: T) => candidate is U): U | null;
export function pickFocusable<T>(candidates: Iterable<T | null | undefined>, canFocus: (candidate: T) => boolean): T | null;
export function pickFocusable<T>(candidates: Iterable<T | null | undefined>, canFocus: (candidate: T) => boolean): T | null {
  for (const candidate of candidates) if (candidate != null && canFocus(candidate)) return candidate;
  return null;
}

/** Whether `element` can take the focus now: in the page, shown, not disabled, not inside an inert or closed part. */
export function canTakeFocus(element: Element): element is HTMLElement {
  if (!(element instanceof HTMLElement) || !element.isConnected) return false;
  if ('disabled' in element && element.disabled === true) return false;
  if (element.closest('[inert]')) return false;
  // A closed <dialog>, a collapsed <details>, `display: none`, `hidden`…
  return element.checkVisibility();
}

/** The element that has the focus, or null when nothing does (the page body has it). */
export function focusedElement(doc: Document = document): HTMLElement | null {
  const active = doc.activeElement;
  return active instanceof HTMLElement && active !== doc.body ? active : null;
}

/** Give the focus to the first candidate that can take it; returns that element (null: none could). */
export function returnFocus(candidates: Iterable<Element | null | undefined>): HTMLElement | null {
  const target = pickFocusable(candidates, canTakeFocus);
  target?.focus();
  return target;
}
