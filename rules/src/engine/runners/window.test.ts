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

  it('expires each key once per pass, however many of its entries fall due, and drops empty closed windows', () => {
    const k = new KeyedWindows();
    k.add('a', 10, null, ref('a1'), 60);
    k.add('b', 15, null, ref('b1'), 60);
    k.add('a', 20, null, ref('a2'), 60);
    k.add('c', 25, null, ref('c1'), 60);
    k.get('c').open = true;
    k.add('a', 50, null, ref('a3'), 60);
    const seen: [string, number][] = [];
    k.expire(85, 60, (key, w) => seen.push([key, w.count]));
    // a (t 10 and 20 due: once, evicted to [50]), b (emptied: dropped), c (emptied but open: kept)
    expect(seen).toEqual([['a', 1], ['b', 0], ['c', 0]]);
    expect([...k.keys.keys()]).toEqual(['a', 'c']);
    // a later pass sees a key again; one with nothing due is not called
    seen.length = 0;
    k.expire(110, 60, (key, w) => seen.push([key, w.count]));
    expect(seen).toEqual([['a', 0]]);
    expect([...k.keys.keys()]).toEqual(['c']);
  });

  it('a queued expiry of a dropped key reaches the window made again for it, also after a snapshot', () => {
    const k = new KeyedWindows();
    k.add('x', 10, null, ref('x1'), 60);
    k.add('y', 100, null, ref('y1'), 60);
    k.add('x', 5, null, ref('x0'), 60); // late: its expiry (65) queues behind y's (160)
    const seen: [string, number][] = [];
    k.expire(75, 60, (key, w) => seen.push([key, w.count]));
    expect(seen).toEqual([['x', 0]]);
    expect([...k.keys.keys()]).toEqual(['y']);
    k.add('x', 120, null, ref('x2'), 60); // a new window for x
    const snap = JSON.parse(JSON.stringify(k.snapshot()));
    expect(snap.expiry).toEqual({ at: [160, 65, 180], keys: ['y', 'x', 'x'] });
    for (const windows of [k, KeyedWindows.from(snap)]) {
      seen.length = 0;
      windows.expire(170, 60, (key, w) => seen.push([key, w.count]));
      expect(seen).toEqual([['y', 0], ['x', 1]]);
      expect(JSON.parse(JSON.stringify(windows.snapshot()))).toEqual({ keys: { x: { entries: [{ t: 120, v: null, ref: ref('x2') }], open: false } }, expiry: { at: [180], keys: ['x'] } });
    }
  });

  it('a queued expiry of a key dropped before the snapshot reaches the window made for it after the restore, as it does live', () => {
    const k = new KeyedWindows();
    k.add('x', 10, null, ref('x1'), 60);
    k.add('y', 100, null, ref('y1'), 60);
    k.add('x', 5, null, ref('x0'), 60); // late: its expiry (65) queues behind y's (160)
    k.expire(75, 60, () => {}); // x dropped; its late expiry still queued
    const snap = JSON.parse(JSON.stringify(k.snapshot()));
    expect(snap.keys.x).toBeUndefined();
    expect(snap.expiry).toEqual({ at: [160, 65], keys: ['y', 'x'] });
    for (const windows of [k, KeyedWindows.from(snap)]) {
      windows.add('x', 120, null, ref('x2'), 60); // a new window for x, after the snapshot
      const seen: [string, number][] = [];
      windows.expire(170, 60, (key, w) => seen.push([key, w.count]));
      expect(seen).toEqual([['y', 0], ['x', 1]]);
      expect([...windows.keys.keys()]).toEqual(['x']);
    }
  });
});
