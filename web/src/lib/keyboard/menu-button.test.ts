import { describe, expect, it } from 'vitest';
import { menuMove } from './menu-button.ts';

describe('menuMove', () => {
  it('↓ goes to the next item, from the last back to the first; from the button, to the first', () => {
    expect(menuMove('ArrowDown', 0, 3)).toBe(1);
    expect(menuMove('ArrowDown', 1, 3)).toBe(2);
    expect(menuMove('ArrowDown', 2, 3)).toBe(0);
    expect(menuMove('ArrowDown', -1, 3)).toBe(0);
  });

  it('↑ goes to the previous item, from the first round to the last; from the button, to the last', () => {
    expect(menuMove('ArrowUp', 2, 3)).toBe(1);
    expect(menuMove('ArrowUp', 0, 3)).toBe(2);
    expect(menuMove('ArrowUp', -1, 3)).toBe(2);
  });

  it('Début and Fin go to the first and the last item', () => {
    expect(menuMove('Home', 2, 3)).toBe(0);
    expect(menuMove('End', 0, 3)).toBe(2);
    expect(menuMove('Home', -1, 3)).toBe(0);
    expect(menuMove('End', -1, 3)).toBe(2);
  });

  it('one item keeps the focus; other keys, or no item, are not the menu\'s', () => {
    expect(menuMove('ArrowDown', 0, 1)).toBe(0);
    expect(menuMove('ArrowUp', 0, 1)).toBe(0);
    expect(menuMove('ArrowDown', -1, 0)).toBeNull();
    expect(menuMove('Enter', 0, 3)).toBeNull();
    expect(menuMove('a', 0, 3)).toBeNull();
    expect(menuMove('Tab', 0, 3)).toBeNull();
  });
});
