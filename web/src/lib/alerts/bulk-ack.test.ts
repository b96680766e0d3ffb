import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { Http } from '../api/http.ts';
import { makeAlert } from '../testing/alert-fixture.ts';
import { runAlertAction } from './alert-actions.ts';
import { bulkAckTargets, runBulk, type BulkTally } from './bulk-ack.ts';

/**
 * A server answering each acknowledgement by the alert's id: `answers[id]` gives the status
 * (200 by default), after `delayMs`. Records the calls, and how many were in flight at most.
 */
function server(answers: Record<string, number> = {}, delayMs = 5) {
  const calls: { id: string; version: number }[] = [];
  let inFlight = 0, maxInFlight = 0;
  const http = new Http(async (url, init) => {
    const id = decodeURIComponent(url.split('/')[4]!);
    calls.push({ id, version: JSON.parse(String(init?.body)).version });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    inFlight--;
    const status = answers[id] ?? 200;
    if (status === 0) throw new TypeError('Failed to fetch');
    const body = status === 200 ? makeAlert({ id, status: 'acknowledged', version: 2 })
      : status === 409 ? { error: { code: 'VIGIE_ALERT_VERSION_CONFLICT', message: 'stale', details: { current: makeAlert({ id, status: 'resolved', version: 3 }) } } }
        : { error: { code: status === 401 ? 'VIGIE_UNAUTHENTICATED' : 'VIGIE_INTERNAL', message: 'no' } };
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  http.csrfToken = 'tok';
  return { http, calls, maxInFlight: () => maxInFlight };
}

const open = (n: number): Alert[] => Array.from({ length: n }, (_, i) => makeAlert({ id: `a${i}`, status: 'open', version: 1 }));
const ack = (http: Http) => (a: Alert) => runAlertAction(http, a, 'ack', {});

describe('bulkAckTargets', () => {
  it('keeps the open alerts shown, in the order shown (acknowledged ones have nothing to acknowledge)', () => {
    const shown = [makeAlert({ id: 'x', status: 'acknowledged' }), makeAlert({ id: 'y', status: 'open' }), makeAlert({ id: 'z', status: 'open' })];
    expect(bulkAckTargets(shown).map((a) => a.id)).toEqual(['y', 'z']);
    expect(bulkAckTargets([])).toEqual([]);
  });
});

describe('runBulk', () => {
  it('acknowledges each alert once at the version shown, 4 at a time, telling the progress after each answer', async () => {
    const s = server();
    const seen: BulkTally[] = [];
    const result = await runBulk(open(10), ack(s.http), (t) => seen.push(t));
    expect(s.calls.map((c) => c.id).sort()).toEqual(open(10).map((a) => a.id).sort());
    expect(s.calls.every((c) => c.version === 1)).toBe(true);
    expect(s.maxInFlight()).toBe(4);
    expect(seen.map((t) => t.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result).toMatchObject({ stop: null, tally: { total: 10, done: 10, changed: 0, failed: 0, notSent: 0 } });
  });

  it('counts apart the alerts someone else changed meanwhile and those refused; goes on after either', async () => {
    const s = server({ a1: 409, a3: 500 });
    const result = await runBulk(open(5), ack(s.http), undefined, { parallel: 1 });
    expect(result.tally).toEqual({ total: 5, done: 3, changed: 1, failed: 1, notSent: 0 });
    expect(result.outcomes.get('a1')).toMatchObject({ kind: 'conflict', current: { status: 'resolved' } });
    expect(result.stop).toBeNull();
  });

  it('stops sending once the session ended, or the server cannot be reached: the rest are not sent', async () => {
    const expired = await runBulk(open(6), ack(server({ a2: 401 }).http), undefined, { parallel: 1 });
    expect(expired).toMatchObject({ stop: 'expired', tally: { done: 2, failed: 1, notSent: 3 } });
    const s = server({ a0: 0 });
    const unreachable = await runBulk(open(6), ack(s.http), undefined, { parallel: 1 });
    expect(unreachable).toMatchObject({ stop: 'unreachable', tally: { done: 0, failed: 1, notSent: 5 } });
    expect(s.calls).toHaveLength(1);
  });

  it('stops sending when told to; the answers already awaited still count', async () => {
    const s = server({}, 20);
    const stop = new AbortController();
    const result = await runBulk(open(12), ack(s.http), (t) => { if (t.done === 2) stop.abort(); }, { parallel: 2, signal: stop.signal });
    expect(result.stop).toBe('stopped');
    expect(result.tally.done).toBe(s.calls.length);
    expect(result.tally.done).toBeLessThanOrEqual(4);
    expect(result.tally.notSent).toBe(12 - s.calls.length);
  });
});
