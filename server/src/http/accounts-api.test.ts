import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually, liveClient, login, postEvents, startNode, type Running } from '../testing/harness.ts';

/** A deployment outside demo mode: no account nor token but the first administrator from VIGIE_ADMIN_PASSWORD. */
const FIRST = 'first admin password';
const PROD = { VIGIE_DEMO: '0', VIGIE_PSEUDONYM_KEY: 'a-test-key-of-32-characters-long', VIGIE_ADMIN_PASSWORD: FIRST };

let db: TestDatabase;
let node: Running;
let admin: Awaited<ReturnType<typeof login>>;
beforeAll(async () => {
  db = await memoryDatabase();
  node = await startNode(PROD, db);
  admin = await login(node.url, 'admin', FIRST);
}, 60_000);
afterAll(async () => {
  await node?.stop();
  await db?.drop();
});

const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${node.url}/api/v1${path}`, { method: init.method ?? 'GET', headers: init.headers ?? admin.headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });

describe('accounts outside demo mode', () => {
  it('start with the first administrator only, made from VIGIE_ADMIN_PASSWORD', async () => {
    const { users } = (await (await api('/users')).json()) as { users: { username: string; role: string; lastSignInAt: string | null }[] };
    expect(users.map((u) => [u.username, u.role])).toEqual([['admin', 'admin']]);
    expect(users[0]!.lastSignInAt).not.toBeNull();
    expect((await postEvents(node.url, { id: 'x', source: 'csu', type: 'a.b', time: new Date().toISOString() }, { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' })).status).toBe(401);
  });

  it('are made by an administrator, with clear errors for a taken name, a short password or one holding the name', async () => {
    const made = await api('/users', { method: 'POST', body: { username: 'c.martin', displayName: 'Claire Martin', role: 'supervisor', password: 'a long enough one' } });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ username: 'c.martin', displayName: 'Claire Martin', role: 'supervisor', disabled: false, lastSignInAt: null });
    const taken = await api('/users', { method: 'POST', body: { username: 'c.martin', displayName: 'X', role: 'operator', password: 'another long one' } });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'VIGIE_ACCOUNT_EXISTS', details: { issues: [{ field: 'username', reason: { key: 'taken' } }] } } });
    const short = await api('/users', { method: 'POST', body: { username: 'p.durand', displayName: 'P', role: 'operator', password: 'short' } });
    expect(short.status).toBe(400);
    expect(JSON.stringify(await short.json())).toMatch(/"field":"password".*12/);
    const named = await api('/users', { method: 'POST', body: { username: 'p.durand', displayName: 'P', role: 'operator', password: 'P.Durand-2026!!' } });
    expect(await named.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'password', message: 'must not contain the username', reason: { key: 'weak' } }] } } });
    const blank = await api('/users', { method: 'POST', body: { username: 'p.blanc', displayName: 'P', role: 'operator', password: ' '.repeat(14) } });
    expect(await blank.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'password', message: 'must not be blank', reason: { key: 'weak' } }] } } });
    const wall = await api('/users', { method: 'POST', body: { username: 'screen', displayName: 'S', role: 'wall', password: 'a long enough one' } });
    expect(JSON.stringify(await wall.json())).toMatch(/"field":"role"/);
    expect((await login(node.url, 'c.martin', 'a long enough one')).csrf).toBeTruthy();
  });

  it('are for administrators only, and a change needs the CSRF token', async () => {
    const supervisor = await login(node.url, 'c.martin', 'a long enough one');
    expect((await api('/users', { headers: supervisor.headers })).status).toBe(403);
    expect((await api('/feed-tokens', { headers: supervisor.headers })).status).toBe(403);
    expect((await api('/users/c.martin', { method: 'PATCH', body: { displayName: 'C' }, headers: { cookie: admin.cookie, 'content-type': 'application/json' } })).status).toBe(403);
    expect((await api('/users')).status).toBe(200);
  });

  it('give every signed-in person the others\' display names, and nothing else of the accounts', async () => {
    const supervisor = await login(node.url, 'c.martin', 'a long enough one');
    const res = await api('/people', { headers: supervisor.headers });
    expect(res.status).toBe(200);
    const { people } = (await res.json()) as { people: Record<string, unknown>[] };
    expect(people).toContainEqual({ username: 'c.martin', displayName: 'Claire Martin' });
    expect(people).toContainEqual({ username: 'admin', displayName: expect.any(String) });
    for (const p of people) expect(Object.keys(p).sort()).toEqual(['displayName', 'username']);
    // Not to the signed-out, nor to a token.
    expect((await api('/people', { headers: {} })).status).toBe(401);
    expect((await api('/people', { headers: { authorization: 'Display demo-wall' } })).status).toBe(401);
  });

  it('disabled, an account is signed out at once, its open console closed, and cannot sign in again', async () => {
    const supervisor = await login(node.url, 'c.martin', 'a long enough one');
    const socket = await liveClient(node.url, { cookie: supervisor.cookie });
    let closed = false;
    socket.on('disconnect', () => { closed = true; });
    const res = await api('/users/c.martin', { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ disabled: true });
    expect((await api('/auth/me', { headers: supervisor.headers })).status).toBe(401);
    await eventually(() => (closed ? true : undefined));
    await expect(login(node.url, 'c.martin', 'a long enough one')).rejects.toThrow(/401/);
    // Enabled again with a new password: the old one no longer opens it.
    await api('/users/c.martin', { method: 'PATCH', body: { disabled: false, password: 'a brand new password' } });
    await expect(login(node.url, 'c.martin', 'a long enough one')).rejects.toThrow(/401/);
    expect((await login(node.url, 'c.martin', 'a brand new password')).csrf).toBeTruthy();
  });

  it('never leave the city without an enabled administrator', async () => {
    for (const body of [{ disabled: true }, { role: 'operator' }]) {
      const res = await api('/users/admin', { method: 'PATCH', body });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'VIGIE_LAST_ADMIN' } });
    }
    expect((await api('/users/nobody', { method: 'PATCH', body: { role: 'operator' } })).status).toBe(404);
    expect((await api('/users/c.martin', { method: 'PATCH', body: {} })).status).toBe(400);
    // With a second administrator, the first may step down (and is signed out: its role changed); the second gives it back.
    await api('/users/c.martin', { method: 'PATCH', body: { role: 'admin' } });
    expect((await api('/users/admin', { method: 'PATCH', body: { role: 'supervisor' } })).status).toBe(200);
    expect((await api('/users')).status).toBe(401);
    const second = await login(node.url, 'c.martin', 'a brand new password');
    expect((await api('/users/admin', { method: 'PATCH', body: { role: 'admin' }, headers: second.headers })).status).toBe(200);
    admin = await login(node.url, 'admin', FIRST);
  });

  it('an administrator changing their own password keeps the session they did it from, and ends their others', async () => {
    const other = await login(node.url, 'admin', FIRST);
    expect((await api('/users/admin', { method: 'PATCH', body: { password: 'my own new password' } })).status).toBe(200);
    expect((await api('/users')).status).toBe(200);
    expect((await api('/users', { headers: other.headers })).status).toBe(401);
    await api('/users/admin', { method: 'PATCH', body: { password: FIRST } });
  });

  it('a restart with VIGIE_ADMIN_PASSWORD still set changes nothing while an administrator exists', async () => {
    const again = await startNode({ ...PROD, VIGIE_ADMIN_PASSWORD: 'another first password' }, db);
    try {
      await expect(login(again.url, 'admin', 'another first password')).rejects.toThrow(/401/);
      const c = await login(again.url, 'c.martin', 'a brand new password');
      const { users } = (await (await fetch(`${again.url}/api/v1/users`, { headers: c.headers })).json()) as { users: { username: string; role: string }[] };
      expect(users.map((u) => [u.username, u.role])).toEqual([['admin', 'admin'], ['c.martin', 'admin']]);
    } finally {
      await again.vigie.stop();
    }
  });
});

describe('tokens', () => {
  it('a feed token is shown once, sends for its sources only, shows when it was last used, and stops at once when revoked', async () => {
    const made = await api('/feed-tokens', { method: 'POST', body: { name: 'CSU export', sources: ['csu'] } });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: string; token: string };
    const feed = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const event = (n: number, source = 'csu') => ({ id: `t${n}`, source, type: 'incident.other', time: new Date().toISOString() });
    expect((await postEvents(node.url, event(1), feed)).status).toBe(202);
    const other = await postEvents(node.url, event(2, 'rtm'), feed);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).toMatch(/VIGIE_TOKEN_FORBIDDEN/);
    const listed = (await (await api('/feed-tokens')).json()) as { tokens: Record<string, unknown>[] };
    const mine = listed.tokens.find((t) => t.id === id)!;
    expect(mine).toMatchObject({ name: 'CSU export', sources: ['csu'], createdBy: 'admin' });
    expect(JSON.stringify(listed)).not.toContain(token);
    await eventually(async () => ((await (await api('/feed-tokens')).json()) as { tokens: { id: string; lastUsedAt: string | null }[] }).tokens.find((t) => t.id === id)?.lastUsedAt ?? undefined);
    expect((await api(`/feed-tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await postEvents(node.url, event(3), feed)).status).toBe(401);
    expect((await api(`/feed-tokens/${id}`, { method: 'DELETE' })).status).toBe(404);
    const bad = await api('/feed-tokens', { method: 'POST', body: { name: 'x', sources: ['Not A Source'] } });
    expect(JSON.stringify(await bad.json())).toMatch(/"field":"sources\.0"/);
  });

  it('a display token opens a wall; revoked, the wall goes dark at once', async () => {
    const made = await api('/display-tokens', { method: 'POST', body: { name: 'Salle de crise, écran 2' } });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: string; token: string };
    expect((await fetch(`${node.url}/api/v1/wall/state?token=${token}`)).status).toBe(200);
    const wall = await liveClient(node.url, { wallToken: token });
    let closed = false;
    wall.on('disconnect', () => { closed = true; });
    expect((await api(`/display-tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(() => (closed ? true : undefined));
    expect((await fetch(`${node.url}/api/v1/wall/state?token=${token}`)).status).toBe(401);
    const audit = (await (await api('/audit?action=display-token.*')).json()) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).toEqual(['display-token.revoke', 'display-token.create']);
  });
});
