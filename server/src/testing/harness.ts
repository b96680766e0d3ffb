import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServer, LiveEncoding, ServerToClient } from '@vigie/rules';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createVigie, type Vigie } from '../vigie.ts';
import { memoryDatabase, type TestDatabase } from './databases.ts';

export type Running = { vigie: Vigie; url: string; db: TestDatabase; stop: () => Promise<void> };

/** A demo-mode node on a free port, on the given database (PGlite in memory by default), simulator off; on the clock `now` if given. */
export async function startNode(env: Record<string, string> = {}, database?: TestDatabase, now?: () => Date): Promise<Running> {
  const db = database ?? (await memoryDatabase());
  const config = loadConfig({ VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_LOG: 'error', VIGIE_TILE_URL: '', ...env });
  const vigie = await createVigie(config, { db: db.db, log: createLogger('error'), ...(now ? { now } : {}) });
  const { server } = await vigie.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    vigie, url, db,
    stop: async () => {
      await vigie.stop();
      if (!database) await db.drop();
    },
  };
}

/** Signs in and returns the cookie and CSRF token to send with later requests. */
export async function login(url: string, username: string, password = username) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

export const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };

export async function postEvents(url: string, body: unknown, headers: Record<string, string> = FEED) {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

export type LiveClient = Socket<ServerToClient, ClientToServer>;

/** A real socket.io client on `/live`, connected with a session cookie or a wall token. */
export function liveClient(url: string, auth: { cookie?: string; wallToken?: string; encoding?: LiveEncoding; only?: string; origin?: string }): Promise<LiveClient> {
  const socket: LiveClient = connect(`${url}/live`, {
    transports: ['websocket'],
    extraHeaders: { ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.origin ? { origin: auth.origin } : {}) },
    auth: { ...(auth.wallToken ? { wallToken: auth.wallToken } : {}), ...(auth.encoding ? { encoding: auth.encoding } : {}), ...(auth.only ? { only: auth.only } : {}) },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => { socket.close(); reject(e); });
  });
}

/** Resolves with the first value `fn` returns other than undefined, polling every 20 ms. */
export async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A located event that trips the stock `assault-injured` rule. */
export function assault(id: string, time = new Date().toISOString()) {
  return { id, source: 'csu', type: 'incident.assault', time, location: { lat: 43.2965, lon: 5.3698 }, severity: 4, attributes: { injured: 1 }, text: 'Agression, témoin joignable au 06 12 34 56 78' };
}
