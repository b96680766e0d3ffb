import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogTally } from './log-tally.ts';
import type { Logger } from './logger.ts';

beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-11-28T20:00:00Z') }));
afterEach(() => vi.useRealTimers());

function keeping() {
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  const keep = (msg: string, fields?: Record<string, unknown>) => { lines.push({ msg, fields }); };
  const log: Logger = { debug: keep, info: keep, warn: keep, error: keep };
  return { log, lines };
}

describe('LogTally', () => {
  it('writes the first at once, then at most one line a minute adding up the counts', () => {
    const { log, lines } = keeping();
    const t = new LogTally(log, 'warn', 'late');
    t.add({ count: 2 }, { id: 'a' });
    expect(lines).toEqual([{ msg: 'late', fields: { count: 2, first: { id: 'a' } } }]);
    for (let i = 0; i < 700; i++) t.add({ count: 1, future: i % 2 }, { id: `b${i}` });
    vi.advanceTimersByTime(59_000);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ msg: 'late', fields: { count: 700, future: 350, times: 700, first: { id: 'b0' }, periodMs: 60_000 } });
    // Within the next minute: gathered again, not written at once.
    t.add({ count: 1 });
    expect(lines).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(lines[2]!.fields).toMatchObject({ count: 1, times: 1 });
  });

  it('after a quiet minute writes at once again; nothing is written when nothing came', () => {
    const { log, lines } = keeping();
    const t = new LogTally(log, 'warn', 'late');
    t.add({ count: 1 });
    vi.advanceTimersByTime(61_000);
    expect(lines).toHaveLength(1);
    t.add({ count: 3 });
    expect(lines).toHaveLength(2);
    t.flush();
    expect(lines).toHaveLength(2);
  });

  it('writes what it gathered when flushed (the node stopping)', () => {
    const { log, lines } = keeping();
    const t = new LogTally(log, 'warn', 'late');
    t.add({ count: 1 });
    t.add({ count: 4 });
    t.flush();
    expect(lines.map((l) => l.fields)).toEqual([{ count: 1 }, { count: 4, times: 1, periodMs: 60_000 }]);
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(2);
  });
});
