import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '@vigie/rules';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { assault, eventually, liveClient, login, postEvents, type LiveClient } from '../testing/harness.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../testing/services.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('two server processes sharing PostgreSQL and Redis', () => {
  let pgdb: TestDatabase;
  const nodes: NodeProcess[] = [];
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    pgdb = await postgresDatabase();
    const url = new URL(pgdb.url!);
    url.searchParams.set('options', `-c search_path=${pgdb.schema}`);
    const env = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL, VIGIE_TILE_URL: '' };
    nodes.push(...(await Promise.all([spawnNode({ ...env, VIGIE_NODE_ID: 'a' }), spawnNode({ ...env, VIGIE_NODE_ID: 'b' })])));
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await pgdb?.drop();
  });

  it('an alert raised on either node reaches the clients of both, once', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const got: Record<string, AlertMessage[]> = { a: [], b: [] };
    for (const [name, n] of [['a', a], ['b', b]] as const) {
      const { cookie } = await login(n.url, 'operator');
      const c = await liveClient(n.url, { cookie });
      clients.push(c);
      c.on('alert:new', (ms) => got[name]!.push(...ms));
    }
    expect((await postEvents(a.url, assault('from-a'))).status).toBe(202);
    expect((await postEvents(b.url, assault('from-b'))).status).toBe(202);
    const evidence = (ms: AlertMessage[]) => ms.map((m) => m.alert.evidence[0]!.id).sort();
    await eventually(() => (got.a!.length >= 2 && got.b!.length >= 2 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 300)); // nothing doubled afterwards
    expect(evidence(got.a!)).toEqual(['from-a', 'from-b']);
    expect(evidence(got.b!)).toEqual(['from-a', 'from-b']);
    expect(got.a!.map((m) => m.seq).sort()).toEqual(got.b!.map((m) => m.seq).sort());
  });
});
