import { describe, expect, it } from 'vitest';
import { windowReaching, type EarlyEntry } from './early-window.ts';

const at = (t: number, v: string | null = null): EarlyEntry => ({ t, v, ref: { source: 's', id: `e${t}`, type: 'x.y', time: new Date(t).toISOString() } });
const ids = (es: EarlyEntry[] | undefined) => es?.map((e) => e.ref.id);

describe('the early check of a threshold', () => {
  it('finds the first window (t − span, t] holding the bound, its edge excluded', () => {
    expect(ids(windowReaching([at(0), at(5), at(9)], 10, 3, false))).toEqual(['e0', 'e5', 'e9']);
    expect(windowReaching([at(0), at(5), at(10)], 10, 3, false)).toBeUndefined(); // 0 is at t − span: outside
    expect(ids(windowReaching([at(0), at(5), at(10), at(12)], 10, 3, false))).toEqual(['e5', 'e10', 'e12']);
  });

  it('counts distinct values, a value leaving the window once its last entry does', () => {
    expect(windowReaching([at(0, 'a'), at(1, 'a'), at(2, 'b')], 10, 3, true)).toBeUndefined();
    expect(ids(windowReaching([at(0, 'a'), at(1, 'a'), at(2, 'b'), at(3, 'c')], 10, 3, true))).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(windowReaching([at(0, 'a'), at(1, 'b'), at(11, 'c'), at(12, null)], 10, 3, true)).toBeUndefined();
  });
});
