import { describe, expect, it } from 'vitest';
import { initialConnection, nextConnection, type ConnectionEvent } from './connection-state.ts';

const run = (events: ConnectionEvent[]) => events.reduce(nextConnection, initialConnection(0));

describe('nextConnection', () => {
  it('starts by trying to connect, then is connected', () => {
    expect(initialConnection(5)).toEqual({ phase: 'reconnecting', since: 5 });
    expect(run([{ type: 'connect', at: 10 }])).toEqual({ phase: 'connected', since: null });
  });

  it('remembers when the link was lost across failed attempts', () => {
    const state = run([
      { type: 'connect', at: 10 },
      { type: 'disconnect', at: 20 },
      { type: 'retry', at: 25 },
      { type: 'retry', at: 30 },
    ]);
    expect(state).toEqual({ phase: 'reconnecting', since: 20 });
  });

  it('goes offline and back to reconnecting without forgetting since when', () => {
    const offline = run([{ type: 'connect', at: 10 }, { type: 'offline', at: 40 }]);
    expect(offline).toEqual({ phase: 'offline', since: 40 });
    expect(nextConnection(offline, { type: 'retry', at: 45 })).toBe(offline);
    expect(nextConnection(offline, { type: 'online', at: 50 })).toEqual({ phase: 'reconnecting', since: 40 });
  });

  it('ignores the browser coming online while connected', () => {
    const connected = run([{ type: 'connect', at: 10 }]);
    expect(nextConnection(connected, { type: 'online', at: 20 })).toBe(connected);
  });
});
