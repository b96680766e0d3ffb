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

/** Runs `body`, then fails if a promise was rejected with nobody to handle it meanwhile. */
async function noneUnhandled(body: () => Promise<void>): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    await new Promise((r) => setTimeout(r, 10));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
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

  it('asks for the city and the alerts with the session, not after it', async () => {
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    const asked: string[] = [];
    const http = new Http(async (url) => {
      asked.push(url);
      if (url === '/api/v1/auth/me') {
        await held;
        return Response.json(session);
      }
      return Response.json(url.includes('zones') ? { zones: [] } : url.includes('places') ? { places: [] } : url.includes('alerts') ? { alerts: [], lastSeq: 0 } : config);
    });
    const loading = loadConsole(http);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toHaveLength(5); // the session not answered yet
    answer();
    expect((await loading)?.session).toEqual(session);
  });

  it('answers null when nobody is signed in, whatever the other answers (401 too, none left unhandled)', async () => {
    await noneUnhandled(async () => {
      const denied: [number, unknown] = [401, { error: { code: 'VIGIE_AUTH_REQUIRED', message: 'sign in' } }];
      const { http } = server({
        '/api/v1/auth/me': denied,
        '/api/v1/config': [200, config],
        '/api/v1/zones': denied,
        '/api/v1/places': denied,
        '/api/v1/alerts?status=open,acknowledged&limit=500': denied,
      });
      expect(await loadConsole(http)).toBeNull();
    });
  });

  it('leaves no refusal unhandled when the others are refused before the session answers', async () => {
    await noneUnhandled(async () => {
      const http = new Http(async (url) => {
        if (url === '/api/v1/auth/me') await new Promise((r) => setTimeout(r, 20));
        return Response.json({ error: { code: 'VIGIE_AUTH_REQUIRED', message: 'sign in' } }, { status: 401 });
      });
      expect(await loadConsole(http)).toBeNull();
    });
  });

  it("fails with the session's own error when it cannot be read (the others, refused too, not left unhandled)", async () => {
    await noneUnhandled(async () => {
      const { http } = server({ '/api/v1/auth/me': [500, { error: { code: 'VIGIE_INTERNAL', message: 'down' } }] });
      await expect(loadConsole(http)).rejects.toMatchObject({ status: 500 });
    });
  });

  it('fails when the city cannot be loaded', async () => {
    const { http } = server({ '/api/v1/auth/me': [200, session] });
    await expect(loadConsole(http)).rejects.toMatchObject({ status: 404 });
  });
});
