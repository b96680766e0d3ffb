import { canTakeFocus, focusedElement, returnFocus } from './focus-return.ts';

/** What Tab may land on (radios: the whole group is one stop, see `stops`). */
const TABBABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/**
 * Where Tab goes at the ends of a dialog: `at` is the focused stop's index among `count`
 * (-1: before the first stop, as the dialog's title; `count`: after the last). Returns the
 * stop to focus instead of leaving the dialog, or null to let the browser move on.
 */
export function wrapTab(at: number, count: number, backwards: boolean): number | null {
  if (count === 0) return null;
  if (backwards) return at <= 0 ? count - 1 : null;
  return at >= count - 1 ? 0 : null;
}

/** The dialog's Tab stops in order; a radio group counts once (its checked radio, else its first). */
function stops(dialog: HTMLDialogElement): HTMLElement[] {
  const seen = new Set<string>();
  const list: HTMLElement[] = [];
  for (const el of dialog.querySelectorAll<HTMLElement>(TABBABLE)) {
    if (!canTakeFocus(el) || el.tabIndex < 0) continue;
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      if (seen.has(el.name)) continue;
      seen.add(el.name);
      const group = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter((r) => r.name === el.name && canTakeFocus(r));
      list.push(group.find((r) => r.checked) ?? el);
      continue;
    }
    list.push(el);
  }
  return list;
}

/** The focused element's place among `list` (a radio stands for its group); -1 before the first, list.length after the last. */
function placeOf(active: Element | null, list: HTMLElement[]): number {
  if (!active) return -1;
  const same = (el: HTMLElement) =>
    el === active || (el instanceof HTMLInputElement && active instanceof HTMLInputElement && el.type === 'radio' && active.type === 'radio' && el.name === active.name);
  const at = list.findIndex(same);
  if (at !== -1) return at;
  const first = list[0];
  // Not a stop itself (the title, the dialog): before the first stop or after the last.
  return first && active.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : list.length;
}

/**
 * A native modal <dialog> that gives the focus back. `showModal` makes the page behind it
 * inert; this keeps Tab cycling inside it (the browser would go on to its own toolbar) and,
 * on close, gives the focus back to the element that had it when the dialog opened. When
 * that element is gone, the focus is left to the page's `keepFocus` (the console's queue).
 */
export class ModalDialog {
  #opener: HTMLElement | null = null;
  #dialog: HTMLDialogElement | null = null;

  #ontab = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey || !this.#dialog) return;
    const list = stops(this.#dialog);
    const next = wrapTab(placeOf(this.#dialog.ownerDocument.activeElement, list), list.length, event.shiftKey);
    if (next === null) return;
    event.preventDefault();
    list[next]?.focus();
  };

  /** Open `dialog` as a modal and focus `first` (its title or its first field). */
  show(dialog: HTMLDialogElement, first?: HTMLElement | null): void {
    this.#opener = focusedElement(dialog.ownerDocument);
    this.#dialog = dialog;
    dialog.addEventListener('keydown', this.#ontab);
    dialog.showModal();
    first?.focus();
  }

  /** Close it and focus its opener again (when that can still take the focus). */
  close(dialog: HTMLDialogElement): void {
    dialog.removeEventListener('keydown', this.#ontab);
    dialog.close();
    this.#dialog = null;
    const opener = this.#opener;
    this.#opener = null;
    returnFocus([opener]);
  }
}
