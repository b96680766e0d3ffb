import { describe, expect, it } from 'vitest';
import { splitLines } from './backtest-stream.ts';

describe('reading the backtest stream', () => {
  it('gives complete lines and keeps the unfinished one for later', () => {
    const first = splitLines('{"type":"progress","eventsRead":5000,"fraction":0.1,"alerts":2}\n{"type":"progr');
    expect(first.lines).toEqual([{ type: 'progress', eventsRead: 5000, fraction: 0.1, alerts: 2 }]);
    expect(first.rest).toBe('{"type":"progr');
    const second = splitLines(`${first.rest}ess","eventsRead":9000,"fraction":0.2,"alerts":3}\n\n`);
    expect(second.lines).toEqual([{ type: 'progress', eventsRead: 9000, fraction: 0.2, alerts: 3 }]);
    expect(second.rest).toBe('');
  });
});
