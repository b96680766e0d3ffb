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
    const env = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL, VIGIE_TILE_URL: '',
      // Windowed rules evaluate an event at once (not once the 2-minute lateness has passed).
      VIGIE_ALLOWED_LATENESS_MS: '0' };
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

  // Three sources 300 m apart within 10 minutes (stock rule three-sources), each far from the others' tests.
  const report = (id: string, source: string, type: string, at: { lat: number; lon: number }) =>
    ({ id, source, type, time: new Date().toISOString(), location: at, severity: 3 });
  const threeSources = (ms: AlertMessage[], first: string) => ms.filter((m) => m.alert.ruleId === 'three-sources' && m.alert.evidence.some((e) => e.id === first));
  /** The alerts an operator's console on `n` is told of as new, from now on. */
  const newAlertsOn = async (n: NodeProcess) => {
    const c = await liveClient(n.url, { cookie: (await login(n.url, 'operator')).cookie });
    clients.push(c);
    const got: AlertMessage[] = [];
    c.on('alert:new', (ms) => got.push(...ms));
    return got;
  };
  const leads = async (n: NodeProcess) => /^vigie_engine_leader 1$/m.test(await (await fetch(`${n.url}/metrics`)).text());

  it('one engine for the city: events that came in by either node are evaluated together, once', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    expect([await leads(a), await leads(b)].sort()).toEqual([false, true]);
    const got = await newAlertsOn(b);
    const place = { lat: 43.3051, lon: 5.3950 };
    expect((await postEvents(a.url, report('x-csu', 'csu', 'incident.fight', place))).status).toBe(202);
    expect((await postEvents(b.url, report('x-rtm', 'rtm', 'transport.incident', place))).status).toBe(202);
    expect((await postEvents(a.url, report('x-cit', 'citoyens', 'citizen.noise', place))).status).toBe(202);
    await eventually(() => (threeSources(got, 'x-csu').length ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const [alert] = threeSources(got, 'x-csu');
    expect(threeSources(got, 'x-csu')).toHaveLength(1);
    expect(alert!.alert.evidence.map((e) => e.id).sort()).toEqual(['x-cit', 'x-csu', 'x-rtm']);
  });

  it('a leading node cut off from the database stands down; one node takes over (resuming from the snapshot) and leads alone', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const takeovers = async () => (await Promise.all([a, b].map(async (n) => Number(/^vigie_engine_takeovers_total (\d+)$/m.exec(await (await fetch(`${n.url}/metrics`)).text())?.[1])))).reduce((x, y) => x + y);
    const before = await takeovers();
    // The leader's lock connection, killed as a network cut or a database restart would.
    const [killed] = await pgdb.db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
        WHERE locktype = 'advisory' AND classid = 7218 AND objid::bigint = (hashtext($1)::bigint & 4294967295) AND granted`, [pgdb.schema]);
    expect(killed?.ok).toBe(true);
    await eventually(async () => ((await takeovers()) > before ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // the other one tried the lock again meanwhile
    expect([await leads(a), await leads(b)].sort()).toEqual([false, true]);
    const got = await newAlertsOn(a);
    const place = { lat: 43.2920, lon: 5.4050 };
    for (const [n, id, source, type] of [[a, 'z-csu', 'csu', 'incident.fight'], [b, 'z-rtm', 'rtm', 'transport.incident'], [a, 'z-cit', 'citoyens', 'citizen.noise']] as const) {
      expect((await postEvents(n.url, report(id, source, type, place))).status).toBe(202);
    }
    await eventually(() => (threeSources(got, 'z-csu').length ? true : undefined), 10_000);
    expect(threeSources(got, 'z-csu')[0]!.alert.evidence.map((e) => e.id).sort()).toEqual(['z-cit', 'z-csu', 'z-rtm']);
  });

  it('when the leading node stops, the other takes over from its snapshot: a window begun before goes on', async () => {
    const leader = (await leads(nodes[0]!)) ? nodes[0]! : nodes[1]!;
    const other = leader === nodes[0] ? nodes[1]! : nodes[0]!;
    const place = { lat: 43.2790, lon: 5.3890 };
    expect((await postEvents(leader.url, report('y-csu', 'csu', 'incident.fight', place))).status).toBe(202);
    expect((await postEvents(other.url, report('y-rtm', 'rtm', 'transport.incident', place))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300)); // the leader has them (sent over the bus)
    await leader.stop();
    await eventually(() => leads(other).then((yes) => yes || undefined), 10_000);
    const got = await newAlertsOn(other);
    expect((await postEvents(other.url, report('y-cit', 'citoyens', 'citizen.noise', place))).status).toBe(202);
    await eventually(() => (threeSources(got, 'y-csu').length ? true : undefined), 10_000);
    expect(threeSources(got, 'y-csu')[0]!.alert.evidence.map((e) => e.id).sort()).toEqual(['y-cit', 'y-csu', 'y-rtm']);
  });
});
