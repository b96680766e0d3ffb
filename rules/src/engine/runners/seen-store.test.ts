import { describe, expect, it } from 'vitest';
import { cosLat } from '../../geo/distance.ts';
import { SeenStore } from './seen-store.ts';

const ref = (id: string) => ({ source: 's', id, type: 'x.y', time: '2026-11-28T20:00:00Z' });

describe('SeenStore', () => {
  it('keeps each event by its number, past its first capacity, and gives released numbers again', () => {
    const store = new SeenStore();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const location = { lat: 43 + i / 100, lon: 5 - i / 100 };
      ids.push(store.add(i * 1000, location, `v${i % 3}`, ref(`e${i}`), cosLat(location.lat)));
    }
    expect(new Set(ids).size).toBe(40);
    for (let i = 0; i < 40; i++) {
      const id = ids[i]!;
      expect(store.entry(id)).toEqual({ t: i * 1000, location: { lat: 43 + i / 100, lon: 5 - i / 100 }, value: `v${i % 3}`, ref: ref(`e${i}`) });
      const at = store.position(id);
      expect([store.t(id), store.numbers[at], store.numbers[at + 1], store.numbers[at + 2]]).toEqual([i * 1000, 43 + i / 100, 5 - i / 100, cosLat(43 + i / 100)]);
    }
    store.release(ids[3]!);
    store.release(ids[7]!);
    expect(store.ref(ids[3]!)).toBeUndefined();
    const again = [store.add(1, { lat: 1, lon: 2 }, 'a', ref('x'), 1), store.add(2, { lat: 3, lon: 4 }, 'b', ref('y'), 1)];
    expect(again.sort((a, b) => a - b)).toEqual([ids[3], ids[7]].sort((a, b) => a! - b!));
    expect(store.entry(ids[0]!).ref.id).toBe('e0');
  });
});
