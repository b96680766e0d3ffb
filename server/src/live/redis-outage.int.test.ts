import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '@vigie/rules';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { assault, eventually, liveClient, login, postEvents, type LiveClient } from '../testing/harness.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';
import { privateRedis, type PrivateRedis } from '../testing/redis-server.ts';
import { postgresAvailable, redisServerAvailable } from '../testing/services.ts';

const ready = (await postgresAvailable()) && (await redisServerAvailable());

/** The JSON log lines of a node's output with this message. */
const logged = (n: NodeProcess, msg: RegExp) => n.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => msg.test(l.msg));

describe.skipIf(!ready)('a Redis outage: two nodes keep serving, and share alerts again once Redis is back', () => {
  let pgdb: TestDatabase;
  let redis: PrivateRedis;
  const nodes: NodeProcess[] = [];
  const clients: LiveClient[] = [];
  /** What each node's operator console was told of, new or updated. */
  const got: Record<'a' | 'b', AlertMessage[]> = { a: [], b: [] };
  const reconnected = { a: 0, b: 0 };
  beforeAll(async () => {
    pgdb = await postgresDatabase();
    redis = await privateRedis();
    const url = new URL(pgdb.url!);
    url.searchParams.set('options', `-c search_path=${pgdb.schema}`);
    const env = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', DATABASE_URL: url.toString(), REDIS_URL: redis.url, VIGIE_TILE_URL: '', VIGIE_ALLOWED_LATENESS_MS: '0', VIGIE_LOG: 'info' };
    nodes.push(...(await Promise.all([spawnNode({ ...env, VIGIE_NODE_ID: 'a' }), spawnNode({ ...env, VIGIE_NODE_ID: 'b' })])));
    for (const [name, n] of [['a', nodes[0]!], ['b', nodes[1]!]] as const) {
      const c = await liveClient(n.url, { cookie: (await login(n.url, 'operator')).cookie });
      clients.push(c);
      c.on('alert:new', (ms) => got[name].push(...ms));
      c.on('alert:update', (ms) => got[name].push(...ms));
      // As the console does: closed by the server, it connects again and asks what it missed.
      c.on('disconnect', (reason) => {
        if (reason !== 'io server disconnect') return;
        reconnected[name]++;
        c.once('connect', () => {
          const since = Math.max(0, ...got[name].map((m) => m.seq));
          void c.timeout(5000).emitWithAck('sync', { since }).then((reply) => got[name].push(...reply.messages));
        });
        c.connect();
      });
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.kill();
    await pgdb?.drop();
  });

  const toldOf = (name: 'a' | 'b', id: string) => got[name].some((m) => m.alert.evidence.some((e) => e.id === id));

  it('no node exits while Redis is away for longer than a command waits (5 s); each warns once and answers HTTP', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    expect((await postEvents(a.url, assault('before-outage'))).status).toBe(202);
    await eventually(() => (toldOf('b', 'before-outage') ? true : undefined), 10_000);

    await redis.kill();
    // Alerts raised meanwhile (by the leading node's engine, events of either node): each is published to Redis, and the publish fails.
    for (const n of [a, b]) expect((await postEvents(n.url, assault(`during-outage-${n === a ? 'a' : 'b'}`))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 7000));
    for (const n of [a, b]) {
      expect(n.child.exitCode, n.output()).toBeNull();
      expect((await fetch(`${n.url}/healthz`)).status).toBe(200);
      const { cookie } = await login(n.url, 'operator');
      expect((await fetch(`${n.url}/api/v1/alerts`, { headers: { cookie } })).status).toBe(200);
      expect(logged(n, /^redis: unreachable/), n.output()).toHaveLength(1);
      // Handled where it happens, not left to the process's last resort.
      expect(logged(n, /^unhandled rejection/), n.output()).toEqual([]);
    }
    // The leading node's own clients were told all the same.
    const leader = /^vigie_engine_leader 1$/m.test(await (await fetch(`${a.url}/metrics`)).text()) ? 'a' : 'b';
    expect(toldOf(leader, 'during-outage-a') && toldOf(leader, 'during-outage-b')).toBe(true);
  }, 30_000);

  it('once Redis is back, an alert raised on either node reaches the clients of both again', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    await redis.start();
    await eventually(() => (nodes.every((n) => logged(n, /^redis: reachable again/).length === 1) ? true : undefined), 10_000);
    // Each node's clients were made to reconnect, and caught up on what the other node raised meanwhile.
    await eventually(() => (reconnected.a === 1 && reconnected.b === 1 ? true : undefined), 5000);
    for (const name of ['a', 'b'] as const) await eventually(() => (toldOf(name, 'during-outage-a') && toldOf(name, 'during-outage-b') ? true : undefined), 5000);
    expect((await postEvents(a.url, assault('after-outage-a'))).status).toBe(202);
    expect((await postEvents(b.url, assault('after-outage-b'))).status).toBe(202);
    await eventually(() => (toldOf('a', 'after-outage-b') && toldOf('b', 'after-outage-a') ? true : undefined), 10_000);
    for (const n of [a, b]) {
      expect(logged(n, /^redis: unreachable/)).toHaveLength(1);
      expect(logged(n, /^unhandled rejection/), n.output()).toEqual([]);
    }
  }, 30_000);
});
