import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { startNode, type Running } from '../testing/harness.ts';
import { postgresAvailable } from '../testing/services.ts';

const ready = await postgresAvailable();

describe.skipIf(!ready)('failed sign-ins, two nodes on one PostgreSQL database', () => {
  let pgdb: TestDatabase;
  let a: Running, b: Running;
  beforeAll(async () => {
    pgdb = await postgresDatabase();
    a = await startNode({}, pgdb);
    b = await startNode({}, pgdb);
  }, 60_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await pgdb?.drop();
  });

  const attempt = (n: Running, username: string, password = 'wrong') =>
    fetch(`${n.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

  it('count the tries on either node: ten wrong passwords split between them hold the account on both', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? a : b, 'supervisor')).status).toBe(401);
    for (const n of [a, b]) {
      const held = await attempt(n, 'supervisor', 'supervisor');
      expect(held.status).toBe(429);
      expect(await held.json()).toMatchObject({ error: { code: 'VIGIE_RATE_LIMITED', details: { scope: 'account' } } });
    }
    // Another account from the same address is not held (nine tries short of the address's thirty).
    expect((await attempt(b, 'operator', 'operator')).status).toBe(200);
  });

  it('keep no typed username nor address in clear', async () => {
    expect((await attempt(a, 'my-secret-password-typed-as-a-name')).status).toBe(401);
    const rows = await pgdb.db.query<{ dump: string }>(
      `SELECT string_agg(scope || ' ' || key, ' ') AS dump FROM sign_in_failures UNION ALL SELECT string_agg(key, ' ') FROM sign_in_known`);
    const dump = rows.map((r) => r.dump).join(' ');
    expect(dump).toMatch(/account/); // rows are there
    for (const clear of ['my-secret', 'supervisor', 'operator', '127.0.0.1']) expect(dump).not.toContain(clear);
  });
});
