import { describe, expect, it } from 'vitest';
import type { EvidenceRef } from '../../domain/alert.ts';
import { MAX_EVIDENCE } from '../evidence.ts';
import { KeyedWindows, SlidingWindow } from './window.ts';

const ref = (id: string): EvidenceRef => ({ source: 's', id, type: 'x.y', time: '2026-11-28T20:00:00Z' });

describe('SlidingWindow', () => {
  it('keeps entries sorted (a late one slots in place), evicts the window edge, measures count, sum and distinct', () => {
    const w = new SlidingWindow();
    w.add(10, null, ref('a'));
    w.add(30, 5, ref('c'));
    w.add(20, '7', ref('b'));
    w.add(40, 5, ref('d'));
    expect(w.evidence().map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect([w.count, w.sum(), w.distinct()]).toEqual([4, 17, 2]);
    w.evict(30, 20); // drops t <= 10
    expect(w.evidence().map((r) => r.id)).toEqual(['b', 'c', 'd']);
    w.evict(50, 20); // drops t <= 30
    expect([w.count, w.sum(), w.distinct()]).toEqual([1, 5, 1]);
    w.evict(100, 20);
    expect([w.count, w.sum(), w.distinct()]).toEqual([0, 0, 0]);
    w.add(200, null, ref('e'));
    expect([w.count, w.sum(), w.distinct()]).toEqual([1, 0, 0]);
  });

  it('carries at most the latest MAX_EVIDENCE references, in a new array each time', () => {
    const w = new SlidingWindow();
    for (let i = 0; i < MAX_EVIDENCE + 5; i++) w.add(i, null, ref(`e${i}`));
    const ev = w.evidence();
    expect(ev).toHaveLength(MAX_EVIDENCE);
    expect(ev[0]!.id).toBe('e5');
    ev.pop();
    expect(w.evidence()).toHaveLength(MAX_EVIDENCE);
  });

  it('snapshots as { entries: [{ t, v, ref }], open } and comes back the same', () => {
    const k = new KeyedWindows();
    k.add('z', 10, null, ref('a'), 60);
    k.add('z', 20, 3, ref('b'), 60);
    k.get('z').open = true;
    const snap = JSON.parse(JSON.stringify(k.snapshot()));
    expect(snap.keys.z).toEqual({ entries: [{ t: 10, v: null, ref: ref('a') }, { t: 20, v: 3, ref: ref('b') }], open: true });
    const back = KeyedWindows.from(snap);
    expect(JSON.parse(JSON.stringify(back.snapshot()))).toEqual(snap);
    expect([back.get('z').count, back.get('z').sum(), back.get('z').open]).toEqual([2, 3, true]);
  });
});
