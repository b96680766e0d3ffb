import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startNode, type Running } from '../testing/harness.ts';

let node: Running;
beforeAll(async () => { node = await startNode(); });
afterAll(async () => { await node?.stop(); });

const attempt = (username: string, password = 'wrong') =>
  fetch(`${node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('failed sign-ins', () => {
  it('one password tried on many accounts from one address: that address waits after 30, whichever account it names next', async () => {
    // Nine failures on each of three accounts: none reaches its own limit (ten).
    for (const account of ['alpha', 'bravo', 'charlie']) for (let i = 0; i < 9; i++) expect((await attempt(account)).status).toBe(401);
    // A real account signing in does not clear the address's count.
    await login(node.url, 'operator');
    for (let i = 0; i < 3; i++) expect((await attempt(`delta-${i}`)).status).toBe(401);
    const limited = await attempt('echo');
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(250);
    expect(await limited.json()).toMatchObject({ error: { code: 'VIGIE_RATE_LIMITED', message: expect.stringContaining('from this address'), details: { retryAfterSeconds: wait, scope: 'address' } } });
    // Even with the right password, an account that has not signed in from here lately waits;
    // one that has (an operator of the room) is not kept out.
    expect((await attempt('supervisor', 'supervisor')).status).toBe(429);
    expect((await attempt('operator', 'operator')).status).toBe(200);
  });

  it('the address is the client\'s as the trusted proxy tells it: an address the client itself adds is not believed', async () => {
    // From this host (a trusted proxy by default), each attempt naming another address of its own before the real one.
    const from = (spoofed: string) => fetch(`${node.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `${spoofed}, 10.9.9.9` }, body: JSON.stringify({ username: 'foxtrot', password: 'wrong' }),
    });
    for (let i = 0; i < 10; i++) expect((await from(`6.6.6.${i}`)).status).toBe(401);
    expect((await from('6.6.6.99')).status).toBe(429);
  });
});
