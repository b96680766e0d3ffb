import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedHealth } from '@vigie/rules';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { openPg } from '../storage/pg-client.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually, login, startNode, type Running } from '../testing/harness.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../testing/services.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());

const feedBody = () => Buffer.from(encodeFeedMessage({
  header: { gtfsRealtimeVersion: '2.0', timestamp: Math.floor(Date.now() / 1000) },
  entity: [{ id: 'v1', vehicle: { vehicle: { id: 'V1' }, timestamp: Math.floor(Date.now() / 1000), position: { latitude: 43.3, longitude: 5.37 } } }],
}));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!ready)('two nodes sharing PostgreSQL and Redis: the leading node alone polls the feed URLs', () => {
  /** The operator's feed server: the requests each path got; `/often` answers 503 while `failing`. */
  let server: Server;
  let base: string;
  const hits = { once: 0, often: 0 };
  let failing = false;
  let t: TestDatabase;
  /** Node b on connections of its own (what it reads of a's polls comes from the database, not from a's memory). */
  let own: TestDatabase;
  const nodes: Record<'a' | 'b', Running | undefined> = { a: undefined, b: undefined };
  const running = () => Object.values(nodes).filter((n): n is Running => n !== undefined);
  const polling = () => running().filter((n) => n.vigie.feedService.polling);
  const leads = async (n: Running) => /^vigie_engine_leader 1$/m.test(await (await fetch(`${n.url}/metrics`)).text());
  /** The requests `path` gets over `ms`. */
  const requestsOver = async (path: keyof typeof hits, ms: number) => {
    const before = hits[path];
    await pause(ms);
    return hits[path] - before;
  };
  const health = async (n: Running, source: string) => {
    const { cookie } = await login(n.url, 'operator');
    const { feeds } = (await (await fetch(`${n.url}/api/v1/feeds`, { headers: { cookie } })).json()) as { feeds: FeedHealth[] };
    return feeds.find((f) => f.source === source);
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname.slice(1);
      if (path !== 'once' && path !== 'often') return void res.writeHead(404).end();
      hits[path]++;
      if (path === 'often' && failing) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(feedBody());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await postgresDatabase();
    const b = openPg({ connectionString: t.url!, schema: t.schema });
    own = { db: b, drop: () => b.close() };
    const env = { REDIS_URL: TEST_REDIS_URL, VIGIE_FEED_ALLOW_HOSTS: '127.0.0.1' };
    nodes.a = await startNode(env, t);
    nodes.b = await startNode(env, own);
  }, 60_000);
  afterAll(async () => {
    for (const n of running()) await n.stop();
    await own?.drop();
    await t?.drop();
    await new Promise((r) => server?.close(r));
  });

  it('one node polls: a URL configured on either node is asked once per interval, not once per node', async () => {
    const admin = await login(nodes.b!.url, 'admin');
    for (const [id, intervalSeconds] of [['once', 3600], ['often', 1]] as const) {
      const res = await fetch(`${nodes.b!.url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id, source: `poll-${id}`, url: `${base}/${id}`, intervalSeconds }) });
      expect(res.status).toBe(201);
    }
    // A new configuration is polled at once, by the node that polls only (the other heard of it too).
    await eventually(() => (hits.once >= 1 ? true : undefined), 5000);
    await pause(1500);
    expect(hits.once).toBe(1);
    // Every second, not twice a second (two nodes would ask 6 times in 3 s).
    expect(await requestsOver('often', 3000)).toBeLessThanOrEqual(4);
    // The node that leads the engine is the one that polls.
    expect(polling()).toHaveLength(1);
    expect(await leads(polling()[0]!)).toBe(true);
  }, 20_000);

  it("the other node's feed health is the polling node's: messages, last poll and its error, read from the database", async () => {
    const follower = running().find((n) => !n.vigie.feedService.polling)!;
    expect(follower).toBeDefined();
    const ok = await eventually(async () => {
      const h = await health(follower, 'poll-often');
      return h?.status === 'ok' && h.lastReceivedAt ? h : undefined;
    }, 5000);
    expect(ok.lastError).toBeNull();
    failing = true;
    try {
      const failed = await eventually(async () => (await health(follower, 'poll-often'))?.lastError ?? undefined, 5000);
      expect(failed).toMatch(/^HTTP 503 from 127\.0\.0\.1:/);
    } finally {
      failing = false;
    }
    await eventually(async () => ((await health(follower, 'poll-often'))?.lastError === null ? true : undefined), 5000);
  }, 20_000);

  it('a leading node that loses its lock stops polling; the node that leads next polls, alone', async () => {
    const before = hits.once;
    // The leader's lock connection, killed as a network cut or a database restart would.
    const [killed] = await t.db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
        WHERE locktype = 'advisory' AND classid = 7218 AND objid::bigint = (hashtext($1)::bigint & 4294967295) AND granted`, [t.schema]);
    expect(killed?.ok).toBe(true);
    // Whichever node leads next (this one again or the other) polls every URL at once.
    await eventually(() => (hits.once > before ? true : undefined), 10_000);
    await pause(1500); // the other one tried the lock again meanwhile
    expect(polling()).toHaveLength(1);
    expect(await leads(polling()[0]!)).toBe(true);
    const after = hits.once;
    expect(await requestsOver('often', 3000)).toBeLessThanOrEqual(4);
    expect(hits.once).toBe(after);
  }, 25_000);

  it('when the polling node stops, the other takes over and polls', async () => {
    const leader = polling()[0]!;
    const other = running().find((n) => n !== leader)!;
    const before = hits.once;
    await leader.stop();
    nodes[nodes.a === leader ? 'a' : 'b'] = undefined;
    await eventually(() => (other.vigie.feedService.polling ? true : undefined), 10_000);
    expect(await leads(other)).toBe(true);
    // The new leader polls every URL at once, then on its interval.
    await eventually(() => (hits.once === before + 1 ? true : undefined), 5000);
    const often = await requestsOver('often', 3000);
    expect(often).toBeGreaterThanOrEqual(2);
    expect(often).toBeLessThanOrEqual(4);
    expect(hits.once).toBe(before + 1);
  }, 25_000);
});
