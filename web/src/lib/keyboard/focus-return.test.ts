import { describe, expect, it } from 'vitest';
import { pickFocusable } from './focus-return.ts';

describe('pickFocusable', () => {
  const able = (name: string) => !name.startsWith('gone');

  it('takes the opener while it can take the focus, else the next candidate', () => {
    expect(pickFocusable(['opener', 'row', 'queue'], able)).toBe('opener');
    expect(pickFocusable(['gone-opener', 'row', 'queue'], able)).toBe('row');
    expect(pickFocusable([null, undefined, 'gone-row', 'queue'], able)).toBe('queue');
  });

  it('is null when none can', () => {
    expect(pickFocusable([], able)).toBeNull();
    expect(pickFocusable(['gone-1', null], able)).toBeNull();
  });
});
