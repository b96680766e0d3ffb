import { describe, expect, it } from 'vitest';
import { ApiError, Http, NETWORK_ERROR } from './http.ts';

describe('Http', () => {
  it('sends no CSRF header and no body on GET', async () => {
    let seen: RequestInit | undefined;
    const http = new Http(async (_url, init) => {
      seen = init;
      return Response.json({ ok: true });
    });
    http.csrfToken = 'tok';
    expect(await http.get('/api/v1/config')).toEqual({ ok: true });
    expect((seen?.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
    expect(seen?.body).toBeUndefined();
  });

  it('turns an error body into an ApiError with its code and details', async () => {
    const http = new Http(async () =>
      Response.json({ error: { code: 'VIGIE_AUTH_INVALID', message: 'no', details: { x: 1 } } }, { status: 401 }),
    );
    const error = await http.post('/api/v1/auth/login', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'VIGIE_AUTH_INVALID', message: 'no', details: { x: 1 } });
  });

  it('handles empty answers (204) and non-JSON errors', async () => {
    expect(await new Http(async () => new Response(null, { status: 204 })).post('/api/v1/auth/logout')).toBeUndefined();
    const error = await new Http(async () => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }))
      .get('/x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502', message: 'Bad Gateway' });
  });

  it('adds extra headers (If-Match) to a request, with its CSRF token and JSON body', async () => {
    let seen: RequestInit | undefined;
    const http = new Http(async (_url, init) => {
      seen = init;
      return Response.json({});
    });
    http.csrfToken = 'tok';
    await http.request('PUT', '/api/v1/calendar/x', { a: 1 }, { 'If-Match': '"v1"' });
    expect(seen?.headers).toMatchObject({ 'If-Match': '"v1"', 'X-CSRF-Token': 'tok', 'Content-Type': 'application/json' });
    expect(seen?.body).toBe('{"a":1}');
  });

  it('uploads a file as it is, of its media type, with the CSRF token, and fails like any request', async () => {
    let seen: RequestInit | undefined;
    const http = new Http(async (_url, init) => {
      seen = init;
      return Response.json({ error: { code: 'VIGIE_FEED_MALFORMED', message: 'not a zip', details: { field: 'zip' } } }, { status: 400 });
    });
    http.csrfToken = 'tok';
    const zip = new Blob([new Uint8Array([0x50, 0x4b, 3, 4])]);
    const error = await http.upload('/api/v1/feeds/gtfs-static?source=rtm', zip, 'application/zip').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'VIGIE_FEED_MALFORMED', details: { field: 'zip' } });
    expect(seen).toMatchObject({ method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/zip', 'X-CSRF-Token': 'tok', Accept: 'application/json' } });
    expect(seen?.body).toBe(zip);
  });

  it('reports a network failure as VIGIE_NETWORK', async () => {
    const http = new Http(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await http.get('/x').catch((e: unknown) => e)).toMatchObject({ status: 0, code: NETWORK_ERROR });
  });
});
