import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedStrings, sortFirstByKey } from './small-sort.ts';

describe('sortFirstByKey', () => {
  it('orders the first n numbers by their key as a stable sort does, and leaves the rest alone, short and long lists alike', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 80 }), fc.nat(), (keys, cut) => {
      const key = Float64Array.from(keys);
      const ids = keys.map((_, i) => i).reverse();
      const n = cut % (ids.length + 1);
      const want = [...ids.slice(0, n).sort((a, b) => key[a]! - key[b]!), ...ids.slice(n)];
      sortFirstByKey(ids, n, key);
      expect(ids).toEqual(want);
    }));
  });

  it('reads keys at a stride', () => {
    const key = Float64Array.from([3, 9, 1, 9, 2, 9]); // keys of 0, 1, 2 at 0, 2, 4
    const ids = [0, 1, 2];
    sortFirstByKey(ids, 3, key, 2);
    expect(ids).toEqual([1, 2, 0]);
  });

  it('keeps numbers of equal key in their order', () => {
    const key = Float64Array.from([2, 1, 2, 1]);
    const ids = [0, 1, 2, 3];
    sortFirstByKey(ids, 4, key);
    expect(ids).toEqual([1, 3, 0, 2]);
  });
});

describe('sortedStrings', () => {
  it('gives the first n strings sorted as the default sort does (code units, not locale), in a new array', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 60 }), fc.nat(), (list, cut) => {
      const n = list.length === 0 ? 0 : cut % (list.length + 1);
      const before = list.slice();
      expect(sortedStrings(list, n)).toEqual(list.slice(0, n).sort());
      expect(list).toEqual(before);
    }));
    expect(sortedStrings(['rtm', 'ap-hm', 'Z', 'é', 'csu'], 4)).toEqual(['Z', 'ap-hm', 'rtm', 'é']);
  });
});
