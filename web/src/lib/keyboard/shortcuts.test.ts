import { describe, expect, it } from 'vitest';
import { commandFor, moveCursor, neighboursOf, overlayOpen, searchFieldCommand, type KeyInput } from './shortcuts.ts';

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: 'other',
  overlay: false,
  ...extra,
});

describe('commandFor', () => {
  it('maps the console keys, letters in either case', () => {
    expect(commandFor(key('ArrowDown'))).toBe('down');
    expect(commandFor(key('ArrowUp'))).toBe('up');
    expect(commandFor(key('Enter'))).toBe('open');
    expect(commandFor(key('Escape'))).toBe('close');
    expect(commandFor(key('a'))).toBe('ack');
    expect(commandFor(key('R'))).toBe('resolve');
    expect(commandFor(key('d'))).toBe('dismiss');
    expect(commandFor(key('O'))).toBe('reopen');
    expect(commandFor(key('/'))).toBe('search');
    expect(commandFor(key('C'))).toBe('comment');
    expect(commandFor(key('m'))).toBe('mute');
    expect(commandFor(key('F'))).toBe('feeds');
    expect(commandFor(key('v'))).toBe('city');
    expect(commandFor(key('x'))).toBeNull();
  });

  it('leaves modified keys and typing in fields to the browser', () => {
    expect(commandFor(key('r', { ctrlKey: true }))).toBeNull();
    expect(commandFor(key('a', { metaKey: true }))).toBeNull();
    expect(commandFor(key('d', { target: 'text' }))).toBeNull();
  });

  it('lets Enter activate a focused button itself, other keys still work there', () => {
    expect(commandFor(key('Enter', { target: 'control' }))).toBeNull();
    expect(commandFor(key('a', { target: 'control' }))).toBe('ack');
    expect(commandFor(key('ArrowDown', { target: 'control' }))).toBe('down');
  });

  it('leaves every key to a menu or a dialog open over the console', () => {
    for (const k of ['ArrowDown', 'ArrowUp', 'Enter', 'Escape', 'a', 'm', '/', 'f', 'v']) {
      expect(commandFor(key(k, { overlay: true })), k).toBeNull();
      expect(commandFor(key(k, { overlay: true, target: 'control' })), k).toBeNull();
    }
  });
});

describe('overlayOpen', () => {
  /** A page whose elements matching the overlay selector are `shown` (true) or hidden (false). */
  const page = (...shown: boolean[]) => {
    const asked: string[] = [];
    const root = {
      querySelectorAll: (selector: string) => {
        asked.push(selector);
        return shown.map((visible) => ({ checkVisibility: () => visible })) as unknown as NodeListOf<Element>;
      },
    };
    return { root, asked };
  };

  it('is true when a dialog, a menu or an expanded popup is shown', () => {
    expect(overlayOpen(page(true).root)).toBe(true);
    expect(overlayOpen(page(false, true).root)).toBe(true);
  });

  it('is false when none is, or only hidden ones (a menu in a closed <details>)', () => {
    expect(overlayOpen(page().root)).toBe(false);
    expect(overlayOpen(page(false, false).root)).toBe(false);
  });

  it('asks for open dialogs, menus and expanded popups, not disclosures', () => {
    const { root, asked } = page();
    overlayOpen(root);
    expect(asked).toHaveLength(1);
    const selector = asked[0]!;
    expect(selector).toContain('dialog[open]');
    expect(selector).toContain('[role="menu"]');
    expect(selector).toContain('[aria-haspopup]');
    expect(selector).toContain('[aria-expanded="true"]');
    expect(selector).not.toContain('details');
  });
});

describe('moveCursor', () => {
  const ids = ['a', 'b', 'c'];
  it('moves and stays within the list', () => {
    expect(moveCursor(ids, 'a', 1)).toBe('b');
    expect(moveCursor(ids, 'c', 1)).toBe('c');
    expect(moveCursor(ids, 'a', -1)).toBe('a');
  });

  it('starts from an end when nothing (or a vanished row) is current', () => {
    expect(moveCursor(ids, null, 1)).toBe('a');
    expect(moveCursor(ids, 'gone', -1)).toBe('c');
    expect(moveCursor([], null, 1)).toBeNull();
  });

  it('keeps its place when the current row left the list', () => {
    // 'b' was at index 1 in a, b, c, d and was resolved: down takes the row that replaced it, up the one above
    const left = ['a', 'c', 'd'];
    expect(moveCursor(left, 'b', 1, 1)).toBe('c');
    expect(moveCursor(left, 'b', -1, 1)).toBe('a');
    // the last row left: down stays on the new last row
    expect(moveCursor(['a', 'b'], 'c', 1, 2)).toBe('b');
    expect(moveCursor(['b', 'c'], 'a', -1, 0)).toBe('b');
  });
});

describe('moveCursor after an action moved the row', () => {
  it('goes on from where the row was when the operator acted on it, not from where it went', () => {
    // b acknowledged under the order by acknowledgement due: it went to the bottom, after the open ones
    const before = ['a', 'b', 'c', 'd'];
    const acted = neighboursOf(before, 'b')!;
    expect(acted).toEqual({ id: 'b', above: 'a', below: 'c' });
    const after = ['a', 'c', 'd', 'b'];
    expect(moveCursor(after, 'b', 1, 3, acted)).toBe('c');
    expect(moveCursor(after, 'b', -1, 3, acted)).toBe('a');
    // a row that stayed in place moves as ever (its neighbours are where they were)
    expect(moveCursor(before, 'b', 1, 1, acted)).toBe('c');
    // a neighbour gone meanwhile, another row current, or a bigger step: the usual move
    expect(moveCursor(['a', 'd', 'b'], 'b', 1, 2, acted)).toBe('b');
    expect(moveCursor(after, 'd', 1, 2, acted)).toBe('b');
    expect(moveCursor(after, 'b', 2, 3, acted)).toBe('b');
    // moved to the top: ↑ still goes to the row that was above it
    expect(moveCursor(['b', 'a'], 'b', -1, 0, neighboursOf(['a', 'b'], 'b')!)).toBe('a');
    expect(neighboursOf(before, 'x')).toBeNull();
  });
});

describe('searchFieldCommand', () => {
  const typed = (k: string, extra: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; isComposing?: boolean } = {}) =>
    searchFieldCommand({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });
  it('sends ↓ and Entrée in the search field on to the first result', () => {
    expect(typed('ArrowDown')).toBe('first');
    expect(typed('Enter')).toBe('first');
  });
  it('leaves the field its own keys: letters, ↑, Échap, modified keys, a word being composed', () => {
    for (const k of ['a', 'j', '/', 'ArrowUp', 'ArrowLeft', 'Escape', 'Tab', 'Backspace']) expect(typed(k)).toBeNull();
    expect(typed('ArrowDown', { altKey: true })).toBeNull();
    expect(typed('Enter', { ctrlKey: true })).toBeNull();
    expect(typed('Enter', { metaKey: true })).toBeNull();
    expect(typed('Enter', { isComposing: true })).toBeNull();
  });
  it('is not a console shortcut elsewhere in a text field (the comment keeps ↓ and Entrée)', () => {
    expect(commandFor(key('ArrowDown', { target: 'text' }))).toBeNull();
    expect(commandFor(key('Enter', { target: 'text' }))).toBeNull();
  });
});
