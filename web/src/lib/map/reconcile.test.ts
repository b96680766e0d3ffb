import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.ts';

type Fake = { id: string; value: number; removed: boolean };

describe('reconcile', () => {
  it('creates, updates in place and removes by id', () => {
    const markers = new Map<string, Fake>();
    const log: string[] = [];
    const ops = {
      create: (item: { id: string; value: number }): Fake => {
        log.push(`create ${item.id}`);
        return { ...item, removed: false };
      },
      update: (marker: Fake, item: { id: string; value: number }) => {
        log.push(`update ${item.id}`);
        marker.value = item.value;
      },
      remove: (marker: Fake) => {
        log.push(`remove ${marker.id}`);
        marker.removed = true;
      },
    };
    const entry = (id: string, value: number) => [id, { id, value }] as const;

    reconcile(markers, [entry('a', 1), entry('b', 1)], ops);
    const a = markers.get('a');
    reconcile(markers, [entry('a', 2), entry('c', 1)], ops);

    expect(log).toEqual(['create a', 'create b', 'update a', 'create c', 'remove b']);
    expect(markers.get('a')).toBe(a);
    expect(a?.value).toBe(2);
    expect([...markers.keys()].sort()).toEqual(['a', 'c']);
  });
});
