import { describe, expect, it } from 'vitest';
import { Http } from '../api/http.ts';
import { makeAlert } from '../testing/alert-fixture.ts';
import { loadConsole } from './load-console.ts';

const session = { user: { username: 'op', role: 'operator', displayName: 'Op' }, csrfToken: 'tok' };
const config = { city: { name: 'Marseille', center: [43.3, 5.4], zoom: 13 }, tileUrl: '', tileAttribution: '', demo: true };

function server(routes: Record<string, [number, unknown]>) {
  const asked: string[] = [];
  const http = new Http(async (url) => {
    asked.push(url);
    const [status, body] = routes[url] ?? [404, { error: { code: 'VIGIE_NOT_FOUND', message: url } }];
    return Response.json(body, { status });
  });
  return { http, asked };
}

describe('loadConsole', () => {
  it('loads the session, the city and the active alerts, and keeps the CSRF token', async () => {
    const alerts = { alerts: [makeAlert()], lastSeq: 9 };
    const { http, asked } = server({
      '/api/v1/auth/me': [200, session],
      '/api/v1/config': [200, config],
      '/api/v1/zones': [200, { zones: [] }],
      '/api/v1/places': [200, { places: [] }],
      '/api/v1/alerts?status=open,acknowledged&limit=500': [200, alerts],
    });
    const data = await loadConsole(http);
    expect(data).toEqual({ session, config, zones: [], places: [], alerts });
    expect(http.csrfToken).toBe('tok');
    expect(asked).toHaveLength(5);
  });

  it('answers null without loading anything else when nobody is signed in', async () => {
    const { http, asked } = server({
      '/api/v1/auth/me': [401, { error: { code: 'VIGIE_AUTH_REQUIRED', message: 'sign in' } }],
    });
    expect(await loadConsole(http)).toBeNull();
    expect(asked).toEqual(['/api/v1/auth/me']);
  });

  it('fails when the city cannot be loaded', async () => {
    const { http } = server({ '/api/v1/auth/me': [200, session] });
    await expect(loadConsole(http)).rejects.toMatchObject({ status: 404 });
  });
});
