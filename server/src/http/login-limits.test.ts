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
    // Even with the right password: the address waits.
    expect((await attempt('operator', 'operator')).status).toBe(429);
  });
});
