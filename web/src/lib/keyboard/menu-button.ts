import { canTakeFocus, focusedElement } from './focus-return.ts';

/**
 * Where a key moves the focus among an open menu's `count` items from the item `at` (-1: none
 * of them has it, as when the focus is on the menu's button): ↓ and ↑ go to the next and the
 * previous item, round from one end to the other, Début (Home) and Fin (End) to the first and
 * the last. Null: not a key of the menu (or no item).
 */
export function menuMove(key: string, at: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return at < 0 || at >= count - 1 ? 0 : at + 1;
    case 'ArrowUp':
      return at <= 0 || at >= count ? count - 1 : at - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * A <details> drawn as a menu button (the WAI-ARIA "menu button" pattern): its <summary> (Entrée,
 * Espace, a click, or ↓) opens it with the focus on the first `[role="menuitem"]` (↑: on the last);
 * while it is open ↓ ↑ Début Fin move between its items, Échap closes it and gives the focus back
 * to the summary, Tab goes on past it and closes it, a click elsewhere closes it. The keys it takes
 * go no further (the console's shortcuts do not see them). Returns the function that stops it.
 */
export function menuButton(details: HTMLDetailsElement): () => void {
  const doc = details.ownerDocument;
  const summary = () => details.querySelector<HTMLElement>(':scope > summary');
  const items = () => [...details.querySelectorAll<HTMLElement>('[role="menuitem"]')].filter(canTakeFocus);

  const openOn = (key: 'ArrowDown' | 'ArrowUp') => {
    details.open = true;
    const list = items();
    const at = menuMove(key, -1, list.length);
    if (at !== null) list[at]?.focus();
  };

  // The summary's own toggle is replaced: opened, the menu takes the focus (its first item).
  const onclick = (event: MouseEvent) => {
    const own = summary();
    if (!own || !(event.target instanceof Node) || !own.contains(event.target)) return;
    event.preventDefault();
    if (details.open) details.open = false;
    else openOn('ArrowDown');
  };

  const onkeydown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    const target = event.target instanceof Node ? event.target : null;
    // The menu's own keys: from the summary or an item, or from nowhere (a click in the menu's margin).
    const ours = target !== null && details.contains(target);
    const here = ours || focusedElement(doc) === null;
    if (!details.open) {
      const own = summary();
      if (!own || target !== own || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
      openOn(event.key);
    } else if (event.key === 'Escape') {
      details.open = false;
      if (here) summary()?.focus();
    } else {
      if (!here) return;
      const list = items();
      const at = menuMove(event.key, list.findIndex((item) => item === doc.activeElement), list.length);
      if (at === null) return;
      list[at]?.focus();
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // The focus come to something else (Tab, a click on a field) closes it; gone nowhere (a click in its
  // margin), not. Once it has come (focusin, not focusout): the page's focus keeper then sees where it is.
  const onfocusin = (event: FocusEvent) => {
    if (details.open && event.target instanceof Node && !details.contains(event.target)) details.open = false;
  };

  // A press anywhere else closes it (captured: the map's controls keep their clicks to themselves).
  const onpointerdown = (event: PointerEvent) => {
    if (details.open && !(event.target instanceof Node && details.contains(event.target))) details.open = false;
  };

  details.addEventListener('click', onclick);
  // On the document (after the menu's own elements, before the window's shortcuts).
  doc.addEventListener('keydown', onkeydown);
  doc.addEventListener('pointerdown', onpointerdown, true);
  doc.addEventListener('focusin', onfocusin);
  return () => {
    details.removeEventListener('click', onclick);
    doc.removeEventListener('keydown', onkeydown);
    doc.removeEventListener('pointerdown', onpointerdown, true);
    doc.removeEventListener('focusin', onfocusin);
  };
}
