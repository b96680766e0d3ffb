import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { AlertBatcher, type AlertBatch } from './alert-batcher.ts';

const alert = (id: string, version: number, seq: number) => ({ id, version, seq }) as Alert;

describe('AlertBatcher', () => {
  it('sends one batch per window, each alert once at its latest version, in seq order', async () => {
    const batches: AlertBatch[] = [];
    const b = new AlertBatcher(20, (x) => batches.push(x));
    b.add(alert('a', 1, 1), true);
    b.add(alert('b', 3, 2), false);
    b.add(alert('a', 2, 3), false);
    b.add(alert('a', 1, 1), true); // late duplicate: ignored
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.created.map((m) => [m.alert.id, m.version, m.seq])).toEqual([['a', 2, 3]]);
    expect(batches[0]!.updated.map((m) => [m.alert.id, m.version])).toEqual([['b', 3]]);
    b.add(alert('c', 1, 4), true);
    b.flushNow();
    expect(batches).toHaveLength(2);
    b.flushNow();
    expect(batches).toHaveLength(2);
  });
});
