import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '@vigie/rules';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { assault, eventually, liveClient, login, postEvents, startNode, type LiveClient, type Running } from '../testing/harness.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../testing/services.ts';

const postgres = await postgresAvailable();
const redis = postgres && (await redisAvailable());

/** A prefecture's warning over the Vieux-Port (where `assault` happens). */
const WARNING = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${id}</identifier><sender>vigilance@meteo.fr</sender>
<sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Vigilance orange orages</event><urgency>Future</urgency><severity>Severe</severity><certainty>Likely</certainty>
<expires>2099-01-01T00:00:00+00:00</expires><area><areaDesc>Vieux-Port</areaDesc><polygon>43.30,5.36 43.30,5.38 43.29,5.38 43.29,5.36 43.30,5.36</polygon></area></info></alert>`;

/** Two nodes (in this process) on one PostgreSQL schema, told of each other's changes through Redis (a URL) or PostgreSQL. */
function twoNodes(env: Record<string, string>) {
  const t = {} as { db: TestDatabase; a: Running; b: Running; clients: LiveClient[]; told: Record<'a' | 'b', number> };
  beforeAll(async () => {
    t.db = await postgresDatabase();
    t.a = await startNode(env, t.db);
    t.b = await startNode(env, t.db);
    t.clients = [];
    t.told = { a: 0, b: 0 };
    for (const name of ['a', 'b'] as const) {
      const c = await liveClient(t[name].url, { cookie: (await login(t[name].url, 'operator')).cookie });
      c.on('zones:changed', () => t.told[name]++);
      t.clients.push(c);
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of t.clients ?? []) c.close();
    await t.a?.stop();
    await t.b?.stop();
    await t.db?.drop();
  });
  return t;
}

/** A warning ingested on node a: b's clients are told once, and b's engine places b's events in its area. */
async function warningReachesTheOther(t: ReturnType<typeof twoNodes>, id: string) {
  const res = await fetch(`${t.a.url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { authorization: 'Bearer demo-feed-token', 'content-type': 'application/cap+xml' }, body: WARNING(id) });
  expect(res.status).toBe(202);
  await eventually(() => (t.told.a === 1 && t.told.b === 1 ? true : undefined), 5000);
  const alerts: AlertMessage[] = [];
  t.clients[1]!.on('alert:new', (ms) => alerts.push(...ms));
  expect((await postEvents(t.b.url, assault(`in-${id}`))).status).toBe(202);
  const alert = await eventually(() => alerts.find((m) => m.alert.evidence.some((e) => e.id === `in-${id}`))?.alert, 5000);
  expect(alert.zones).toContainEqual(expect.stringMatching(new RegExp(`^cap-prefecture-${id}#0-0$`)));
  await new Promise((r) => setTimeout(r, 200)); // and told once only
  expect(t.told).toEqual({ a: 1, b: 1 });
}

/** An MQTT mapping made on node a: node b subscribes to it too (its own broker takes the topic), without a restart. */
async function mappingReachesTheOther(t: ReturnType<typeof twoNodes>, topic: string) {
  const admin = await login(t.a.url, 'admin');
  const res = await fetch(`${t.a.url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'mqtt', id: topic, source: topic, format: 'events', topic: `${topic}/#` }) });
  expect(res.status).toBe(201);
  const stored = async () => (await t.db.db.query<{ id: string }>('SELECT id FROM events WHERE source = $1', [topic])).map((r) => r.id);
  await eventually(async () => {
    // Until b reloaded its mappings, its broker refuses the topic (the connection closes): tried again.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.b.vigie.feedService.broker!.port}`, { username: 'x', password: 'demo-feed-token', reconnectPeriod: 0 });
    client.on('error', () => {});
    await client.publishAsync(`${topic}/b`, JSON.stringify({ ...assault(`${topic}-1`), source: topic }), { qos: 1 }).catch(() => {});
    await client.endAsync(true).catch(() => {});
    await t.b.vigie.feedService.bridge!.idle();
    return (await stored()).length ? true : undefined;
  }, 10_000);
  expect(await stored()).toEqual([`${topic}-1`]);
}

describe.skipIf(!redis)('zones and feed configurations changed on one node reach the others through Redis', () => {
  const t = twoNodes({ REDIS_URL: TEST_REDIS_URL });
  it("the other node's engine and clients get a CAP warning's area", () => warningReachesTheOther(t, 'sync-redis'));
  it('the other node subscribes to an MQTT mapping made here', () => mappingReachesTheOther(t, 'sync-redis-mqtt'));
});

describe.skipIf(!postgres)('without Redis, zones changed on one node reach the others through PostgreSQL (LISTEN/NOTIFY)', () => {
  const t = twoNodes({});
  it("the other node's engine and clients get a CAP warning's area", () => warningReachesTheOther(t, 'sync-pg'));
  it('the other node subscribes to an MQTT mapping made here', () => mappingReachesTheOther(t, 'sync-pg-mqtt'));
});
