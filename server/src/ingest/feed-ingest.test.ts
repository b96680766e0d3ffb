import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripNul } from '../feeds/adapter.ts';
import { needsStrip } from './feed-ingest.ts';

describe('decoded items are copied only when stripNul would change them', () => {
  it('an item needsStrip does not flag comes out of stripNul equal', () => {
    const nul = fc.string({ maxLength: 6 }).map((s) => `${s}\u0000`);
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.string(), nul, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date(), tie('obj'), tie('arr')),
      obj: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), nul), tie('any'), { maxKeys: 4 }),
      arr: fc.array(tie('any'), { maxLength: 4 }),
    })).any;
    let flagged = 0;
    fc.assert(fc.property(fc.oneof(value, fc.anything()), (v) => {
      if (needsStrip(v)) { flagged++; return; }
      expect(stripNul(v)).toStrictEqual(v);
    }), { numRuns: 10_000 });
    expect(flagged).toBeGreaterThan(100);
    expect(needsStrip({ a: [1, { b: 'x\u0000' }] })).toBe(true);
    expect(needsStrip({ ['k\u0000']: 1 })).toBe(true);
    expect(needsStrip({ a: new Date(0) })).toBe(true);
    expect(needsStrip({ id: 'a', location: { lat: 1, lon: 2 }, attributes: { x: true } })).toBe(false);
  });
});
