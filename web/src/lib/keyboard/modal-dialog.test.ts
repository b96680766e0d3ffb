import { describe, expect, it } from 'vitest';
import { wrapTab } from './modal-dialog.ts';

describe('wrapTab', () => {
  it('Tab on the last stop (or past it) goes back to the first', () => {
    expect(wrapTab(3, 4, false)).toBe(0);
    expect(wrapTab(4, 4, false)).toBe(0);
    expect(wrapTab(1, 4, false)).toBeNull();
    expect(wrapTab(-1, 4, false)).toBeNull(); // from the title: the browser goes to the first stop
  });

  it('Maj+Tab on the first stop (or before it) goes to the last', () => {
    expect(wrapTab(0, 4, true)).toBe(3);
    expect(wrapTab(-1, 4, true)).toBe(3);
    expect(wrapTab(2, 4, true)).toBeNull();
  });

  it('a single stop keeps the focus; no stop lets the browser do as it does', () => {
    expect(wrapTab(0, 1, false)).toBe(0);
    expect(wrapTab(0, 1, true)).toBe(0);
    expect(wrapTab(-1, 0, false)).toBeNull();
  });
});
