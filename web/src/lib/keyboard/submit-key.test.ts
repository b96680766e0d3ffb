import { describe, expect, it } from 'vitest';
import { submitsForm, type SubmitKeyInput } from './submit-key.ts';

const key = (k: string, extra: Partial<SubmitKeyInput> = {}): SubmitKeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  isComposing: false,
  ...extra,
});

describe('submitsForm', () => {
  it('in a textarea: Ctrl+Entrée and Cmd+Entrée send, Entrée makes a new line', () => {
    expect(submitsForm(key('Enter', { ctrlKey: true }), true)).toBe(true);
    expect(submitsForm(key('Enter', { metaKey: true }), true)).toBe(true);
    expect(submitsForm(key('Enter'), true)).toBe(false);
    expect(submitsForm(key('Enter', { shiftKey: true }), true)).toBe(false);
  });

  it('in a single-line field: Entrée sends', () => {
    expect(submitsForm(key('Enter'), false)).toBe(true);
    expect(submitsForm(key('Enter', { ctrlKey: true }), false)).toBe(true);
  });

  it('never while an input method composes, with Alt or Maj+Ctrl, nor for other keys', () => {
    expect(submitsForm(key('Enter', { ctrlKey: true, isComposing: true }), true)).toBe(false);
    expect(submitsForm(key('Enter', { isComposing: true }), false)).toBe(false);
    expect(submitsForm(key('Enter', { ctrlKey: true, altKey: true }), true)).toBe(false);
    expect(submitsForm(key('Enter', { ctrlKey: true, shiftKey: true }), true)).toBe(false);
    expect(submitsForm(key('a', { ctrlKey: true }), true)).toBe(false);
    expect(submitsForm(key('NumpadEnter', { ctrlKey: true }), true)).toBe(false);
  });
});
