import { describe, expect, it } from 'vitest';
import { SeenStore } from './seen-store.ts';

const ref = (id: string) => ({ source: 's', id, type: 'x.y', time: '2026-11-28T20:00:00Z' });

describe('SeenStore', () => {
  it('keeps each event by its number, past its first capacity, and gives released numbers again', () => {
    const store = new SeenStore();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(store.add({ lat: 43 + i / 100, lon: 5 - i / 100 }, `v${i % 3}`, ref(`e${i}`)));
    expect(new Set(ids).size).toBe(40);
    for (let i = 0; i < 40; i++) {
      const id = ids[i]!;
      expect([store.location(id), store.value(id), store.ref(id)]).toEqual([{ lat: 43 + i / 100, lon: 5 - i / 100 }, `v${i % 3}`, ref(`e${i}`)]);
    }
    store.release(ids[3]!);
    store.release(ids[7]!);
    expect([store.location(ids[3]!), store.value(ids[3]!), store.ref(ids[3]!)]).toEqual([undefined, undefined, undefined]);
    const again = [store.add({ lat: 1, lon: 2 }, 'a', ref('x')), store.add({ lat: 3, lon: 4 }, 'b', ref('y'))];
    expect(again.sort((a, b) => a - b)).toEqual([ids[3], ids[7]].sort((a, b) => a! - b!));
    expect(store.ref(ids[0]!).id).toBe('e0');
  });
});
