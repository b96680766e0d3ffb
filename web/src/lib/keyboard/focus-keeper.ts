import { canTakeFocus, focusedElement, returnFocus } from './focus-return.ts';

/**
 * Keeps the keyboard's place inside `root`: when the focused element goes away (an alert
 * that leaves the queue takes its row with it, a dismissed alert its Dismiss button, a
 * closed panel its fields), the focus goes to `fallback()` instead of the page body, so
 * that the operator goes on from the keyboard. A click elsewhere (the focus left on
 * purpose) is left alone. Returns the function that stops it.
 */
export function keepFocus(root: HTMLElement, fallback: () => Element | null | undefined): () => void {
  const doc = root.ownerDocument;
  let last: HTMLElement | null = focusedElement(doc);

  const onfocusin = (event: FocusEvent) => {
    last = event.target instanceof HTMLElement && root.contains(event.target) ? event.target : null;
  };
  // The pointer moves the focus where it wants (a click on the map or on blank space): not a loss.
  const onpointerdown = () => {
    last = null;
  };
  const check = () => {
    if (last === null || focusedElement(doc) !== null || canTakeFocus(last)) return;
    last = null;
    returnFocus([fallback()]);
  };

  const observer = new MutationObserver(check);
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'open', 'hidden', 'inert'] });
  doc.addEventListener('focusin', onfocusin);
  doc.addEventListener('pointerdown', onpointerdown, true);
  return () => {
    observer.disconnect();
    doc.removeEventListener('focusin', onfocusin);
    doc.removeEventListener('pointerdown', onpointerdown, true);
  };
}
