import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { AlertBatcher, type AlertBatch } from './alert-batcher.ts';

const alert = (id: string, version: number, seq: number) => ({ id, version, seq }) as Alert;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AlertBatcher', () => {
  it('sends each alert once per batch at its latest version, in seq order', async () => {
    const batches: AlertBatch[] = [];
    const b = new AlertBatcher(20, (x) => batches.push(x));
    b.add(alert('a', 1, 1), true);
    b.add(alert('b', 3, 2), false);
    b.add(alert('a', 2, 3), false);
    b.add(alert('a', 1, 1), true); // late duplicate: ignored
    expect(batches).toEqual([]); // not within the caller's turn
    await sleep(5);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.created.map((m) => [m.alert.id, m.version, m.seq])).toEqual([['a', 2, 3]]);
    expect(batches[0]!.updated.map((m) => [m.alert.id, m.version])).toEqual([['b', 3]]);
    b.add(alert('c', 1, 4), true);
    b.flushNow();
    expect(batches).toHaveLength(2);
    b.flushNow();
    expect(batches).toHaveLength(2);
  });

  it('lets a lone alert leave at once, then holds the next ones until a window after the last batch', async () => {
    const at: number[] = [];
    const batches: AlertBatch[] = [];
    const start = performance.now();
    const b = new AlertBatcher(80, (x) => { batches.push(x); at.push(performance.now() - start); });
    b.add(alert('a', 1, 1), true);
    await sleep(10);
    expect(at.length).toBe(1); // before a 10 ms timer set after it
    b.add(alert('b', 1, 2), true);
    b.add(alert('c', 1, 3), true);
    await sleep(150);
    expect(batches.map((x) => x.created.map((m) => m.alert.id))).toEqual([['a'], ['b', 'c']]);
    // A window after the first batch (less libuv's millisecond clock: a timer may fire up to 2 ms early by performance.now).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(78);
    await sleep(100); // a quiet window: the next one leaves at once again
    b.add(alert('d', 1, 4), true);
    await sleep(10);
    expect(batches).toHaveLength(3);
  });
});
