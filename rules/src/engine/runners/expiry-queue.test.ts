import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from './expiry-queue.ts';

const drain = <K extends string | number>(q: ExpiryQueue<K>, now: number) => {
  const out: K[] = [];
  for (let k = q.pop(now); k !== undefined; k = q.pop(now)) out.push(k);
  return out;
};

describe('ExpiryQueue', () => {
  it('gives out, in push order, every entry expired at `now` (a key as often as pushed), and nothing later', () => {
    const q = new ExpiryQueue();
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

  it('snapshots what is left (also after compacting thousands of entries) and comes back the same', () => {
    const q = new ExpiryQueue<number>();
    for (let i = 0; i < 10_000; i++) q.push(i, i % 7);
    expect(drain(q, 8_999)).toHaveLength(9_000);
    const snap = q.snapshot();
    expect(snap.at).toEqual(Array.from({ length: 1000 }, (_, i) => 9_000 + i));
    expect(snap.keys.slice(0, 3)).toEqual([9_000 % 7, 9_001 % 7, 9_002 % 7]);
    const back = ExpiryQueue.from(JSON.parse(JSON.stringify(snap)) as typeof snap);
    expect([back.size, back.nextAt]).toEqual([1000, 9_000]);
    expect(drain(back, Infinity)).toEqual(snap.keys);
  });
});
