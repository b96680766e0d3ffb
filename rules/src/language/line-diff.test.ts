import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from './line-diff.ts';

describe('line diff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(diffLines('a\nb\nc\n', 'a\nx\nc\n')).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'x' }, { op: ' ', text: 'c' },
    ]);
    expect(diffLines('', 'a')).toEqual([{ op: '+', text: 'a' }]);
  });

  it('shows changes with their context and elides the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 3', 'line three').replace('line 17', 'line seventeen');
    expect(unifiedDiff(before, after, 1).split('\n')).toEqual([
      ' line 2', '-line 3', '+line three', ' line 4', '…', ' line 16', '-line 17', '+line seventeen', ' line 18',
    ]);
    expect(unifiedDiff(before, before)).toBe('');
  });
});
