import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from './expiry-queue.ts';

const drain = <K extends string | number | object>(q: ExpiryQueue<K>, now: number) => {
  const out: K[] = [];
  for (let k = q.pop(now); k !== undefined; k = q.pop(now)) out.push(k);
  return out;
};

describe('ExpiryQueue', () => {
  it('gives out, in push order, every entry expired at `now` (a key as often as pushed), and nothing later', () => {
    const q = new ExpiryQueue<string>();
    q.push(10, 'a');
    q.push(20, 'b');
    q.push(20, 'a');
    q.push(30, 'c');
    expect(q.nextAt).toBe(10);
    expect(drain(q, 9)).toEqual([]);
    expect(drain(q, 20)).toEqual(['a', 'b', 'a']);
    expect([q.nextAt, q.size]).toEqual([30, 1]);
    expect(drain(q, 100)).toEqual(['c']);
    expect([q.nextAt, q.size]).toEqual([Infinity, 0]);
  });

  it('snapshots what is left, in order, also after compacting thousands of entries', () => {
    const q = new ExpiryQueue<number>();
    for (let i = 0; i < 10_000; i++) q.push(i, i % 7);
    expect(drain(q, 8_999)).toHaveLength(9_000);
    const snap = q.snapshot();
    expect(snap.at).toEqual(Array.from({ length: 1000 }, (_, i) => 9_000 + i));
    expect(snap.keys.slice(0, 3)).toEqual([9_000 % 7, 9_001 % 7, 9_002 % 7]);
    expect([q.size, q.nextAt]).toEqual([1000, 9_000]);
    expect(drain(q, Infinity)).toEqual(snap.keys);
  });

  it('gives out what a plain list would, through any run of pushes and pops (its storage moved and grown on the way)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(3), fc.nat(40)), { maxLength: 400 }),
      (steps) => {
        const q = new ExpiryQueue<string>();
        const model: { at: number; key: string }[] = [];
        let t = 0, now = 0, n = 0;
        for (const [pushes, advance] of steps) {
          for (let i = 0; i < pushes; i++) {
            t += i;
            q.push(t, `k${n}`);
            model.push({ at: t, key: `k${n++}` });
          }
          now += advance;
          const expected: string[] = [];
          while (model.length && model[0]!.at <= now) expected.push(model.shift()!.key);
          expect(drain(q, now)).toEqual(expected);
          expect([q.size, q.nextAt]).toEqual([model.length, model[0]?.at ?? Infinity]);
        }
        expect(q.snapshot()).toEqual({ at: model.map((m) => m.at), keys: model.map((m) => m.key) });
      },
    ), { numRuns: 300 });
  });
});
