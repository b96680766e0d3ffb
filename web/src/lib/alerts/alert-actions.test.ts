import { describe, expect, it } from 'vitest';
import { Http } from '../api/http.ts';
import { makeAlert } from '../testing/alert-fixture.ts';
import { errorText } from '../api/error-text.ts';
import { failureNotice, runAlertAction } from './alert-actions.ts';

type Call = { url: string; init: RequestInit | undefined };

function fakeHttp(status: number, body: unknown) {
  const calls: Call[] = [];
  const http = new Http(async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  http.csrfToken = 'tok';
  return { http, calls };
}

describe('runAlertAction', () => {
  it('posts the version the operator saw, with the CSRF token, and returns the new alert', async () => {
    const updated = makeAlert({ id: 'a 1', version: 3, status: 'dismissed' });
    const { http, calls } = fakeHttp(200, updated);
    const outcome = await runAlertAction(http, makeAlert({ id: 'a 1', version: 2 }), 'dismiss', {
      reason: 'duplicate',
      note: 'same as a2',
    });
    expect(outcome).toEqual({ kind: 'done', alert: updated });
    expect(calls[0]?.url).toBe('/api/v1/alerts/a%201/dismiss');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ reason: 'duplicate', note: 'same as a2', version: 2 });
    const headers = calls[0]?.init?.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('tok');
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('reports a version conflict with the current alert', async () => {
    const current = makeAlert({ version: 5, status: 'acknowledged' });
    const { http } = fakeHttp(409, {
      error: { code: 'VIGIE_ALERT_VERSION_CONFLICT', message: 'stale', details: { current } },
    });
    expect(await runAlertAction(http, makeAlert({ version: 4 }), 'ack', {})).toEqual({ kind: 'conflict', current });
  });

  it('reports other errors as they came, for the panel to word in French from their code', async () => {
    const { http } = fakeHttp(403, { error: { code: 'VIGIE_FORBIDDEN', message: 'read-only' } });
    const outcome = await runAlertAction(http, makeAlert(), 'resolve', {});
    expect(outcome).toMatchObject({ kind: 'failed', status: 403, error: { code: 'VIGIE_FORBIDDEN' } });
    const notice = failureNotice(403, outcome.kind === 'failed' ? outcome.error : null);
    expect(notice.kind === 'error' && errorText('fr', notice.error)).toBe('Votre rôle ne permet pas cette action');
  });

  it('reports an unreachable server as status 0, which the panel says in its own words', async () => {
    const http = new Http(async () => {
      throw new TypeError('Failed to fetch');
    });
    const outcome = await runAlertAction(http, makeAlert(), 'comment', { text: 'x' });
    expect(outcome).toMatchObject({ kind: 'failed', status: 0, error: { code: 'VIGIE_NETWORK' } });
    expect(failureNotice(0, 'Failed to fetch')).toEqual({ kind: 'unreachable' });
    expect(failureNotice(503, 'Service Unavailable')).toEqual({ kind: 'unreachable' });
    expect(failureNotice(403, 'read-only')).toEqual({ kind: 'error', error: 'read-only' });
  });
});

describe('runAlertAction refusals', () => {
  it('reports a reopening refused beside an active alert of the same key, with both alerts', async () => {
    const current = makeAlert({ id: 'old', version: 4, status: 'dismissed' });
    const active = makeAlert({ id: 'new', version: 1, status: 'open' });
    const { http, calls } = fakeHttp(409, { error: { code: 'VIGIE_ALERT_KEY_ACTIVE', message: 'x', details: { current, active } } });
    expect(await runAlertAction(http, makeAlert({ id: 'old', version: 4, status: 'dismissed' }), 'reopen', { note: 'still going on' }))
      .toEqual({ kind: 'refused', why: 'key-active', current, active });
    expect(calls[0]?.url).toBe('/api/v1/alerts/old/reopen');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ note: 'still going on', version: 4 });
  });

  it('reports an action not possible in the status with the current alert', async () => {
    const current = makeAlert({ version: 6, status: 'open' });
    const { http } = fakeHttp(409, { error: { code: 'VIGIE_ALERT_TRANSITION', message: 'cannot reopen an alert that is open', details: { current } } });
    expect(await runAlertAction(http, makeAlert({ version: 6 }), 'reopen', { note: 'x' })).toEqual({ kind: 'refused', why: 'transition', current, active: null });
  });
});
