import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import { eventually, login, startNode, type Running } from '../../testing/harness.ts';
import { encodeFeedMessage } from '../gtfs-rt/gtfs-rt-adapter.ts';
import { mqttAvailable, TEST_MQTT_URL } from '../../testing/services.ts';

const MQTT_URL = TEST_MQTT_URL;

const up = await mqttAvailable();

describe.skipIf(!up)('MQTT through an external broker (Mosquitto, MQTT_URL)', () => {
  let node: Running;
  beforeAll(async () => { node = await startNode({ MQTT_URL }); });
  afterAll(async () => { await node?.stop(); });

  it('subscribes to the mapped topics there and ingests what is published', async () => {
    expect(node.vigie.feedService.broker).toBeUndefined(); // no in-process broker when MQTT_URL is set
    const admin = await login(node.url, 'admin');
    const topic = `vigie-test/${Math.random().toString(36).slice(2, 8)}/vehicles`;
    const res = await fetch(`${node.url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'mqtt', id: 'mosq', source: 'mosq-gtfs', format: 'gtfs-rt', topic: topic.replace('/vehicles', '/#') }) });
    expect(res.status).toBe(201);
    const client = await mqtt.connectAsync(MQTT_URL);
    try {
      const body = encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [1, 2, 3].map((k) => ({ id: `e${k}`, vehicle: { vehicle: { id: `V${k}` }, position: { latitude: 43.3, longitude: 5.37 } } })) });
      await client.publishAsync(topic, Buffer.from(body), { qos: 1 });
      const op = await login(node.url, 'operator');
      const events = await eventually(async () => {
        const r = (await (await fetch(`${node.url}/api/v1/events?source=mosq-gtfs`, { headers: op.headers })).json()) as { events: StoredEvent[] };
        return r.events.length === 3 ? r.events : undefined;
      }, 10_000);
      expect(events.map((e) => e.attributes!.vehicleId).sort()).toEqual(['V1', 'V2', 'V3']);
    } finally {
      await client.endAsync();
    }
  });
});

/** A GTFS-RT message of one vehicle, `V<k>`: one event of its own. */
const vehicle = (k: number) => Buffer.from(encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [{ id: `e${k}`, vehicle: { vehicle: { id: `V${k}` }, position: { latitude: 43.3, longitude: 5.37 } } }] }));
const rand = () => Math.random().toString(36).slice(2, 8);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node on the external broker, in the group `vigie-test` unless `env` says otherwise, counting what its MQTT messages stored and found already stored. */
type Node = Running & { tally: { accepted: number; duplicates: number } };
async function nodeOn(db: TestDatabase, env: Record<string, string> = {}): Promise<Node> {
  const n = await startNode({ MQTT_URL, VIGIE_MQTT_SHARE_GROUP: 'vigie-test', ...env }, db);
  const tally = { accepted: 0, duplicates: 0 };
  const feeds = n.vigie.feeds, receive = feeds.receiveChecked.bind(feeds);
  feeds.receiveChecked = async (m, pre) => {
    const a = await receive(m, pre);
    const b = a.body as { accepted?: number; duplicates?: number };
    tally.accepted += b.accepted ?? 0;
    tally.duplicates += b.duplicates ?? 0;
    return a;
  };
  return Object.assign(n, { tally });
}
const messagesOf = (n: Node) => n.vigie.feedService.bridge!.counters.messages;

/** Creates (POST) or changes (PUT) the MQTT mapping `id` on `node`, through its API. */
async function map(node: Node, id: string, source: string, topic: string, method: 'POST' | 'PUT' = 'POST') {
  const admin = await login(node.url, 'admin');
  const res = await fetch(`${node.url}/api/v1/feeds${method === 'PUT' ? `/${id}` : ''}`, { method, headers: admin.headers, body: JSON.stringify({ kind: 'mqtt', ...(method === 'POST' ? { id } : {}), source, format: 'gtfs-rt', topic }) });
  expect(res.status, await res.clone().text()).toBe(method === 'POST' ? 201 : 200);
}

async function publish(topic: string, messages: Buffer[]) {
  const client = await mqtt.connectAsync(MQTT_URL);
  try {
    for (const m of messages) await client.publishAsync(topic, m, { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

const storedOf = async (db: TestDatabase, source: string) =>
  ((await db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE source = $1', [source])) as [{ n: number }])[0].n;

/**
 * Waits until `source` holds `events` events and the nodes took `messages` messages from the
 * broker, then a little longer: any message beyond those would have come by then.
 */
async function settle(db: TestDatabase, source: string, nodes: Node[], events: number, messages: number) {
  await eventually(async () => {
    const taken = nodes.reduce((n, x) => n + messagesOf(x), 0);
    return taken >= messages && (await storedOf(db, source)) >= events ? true : undefined;
  }, 15_000);
  await pause(500);
  await Promise.all(nodes.map((n) => n.vigie.feedService.bridge!.idle()));
}

describe.skipIf(!up)('two nodes on one external broker (VIGIE_MQTT_SHARE_GROUP)', () => {
  const N = 20;
  // One database for the whole block: each test has topics, sources and mapping ids of its own.
  let db: TestDatabase;
  beforeAll(async () => { db = await memoryDatabase(); });
  afterAll(async () => { await db?.drop(); });

  /** Two nodes on the database, the second started once the mapping exists (read at start). */
  async function twoNodes(env: Record<string, string>) {
    const nodes: Node[] = [];
    const stop = async () => { for (const n of nodes) await n.stop(); };
    try {
      nodes.push(await nodeOn(db, env));
      const topic = `vigie-test/${rand()}`, source = `mosq-${rand()}`;
      await map(nodes[0]!, `shared-${rand()}`, source, `${topic}/#`);
      nodes.push(await nodeOn(db, env));
      return { a: nodes[0]!, b: nodes[1]!, topic, source, stop };
    } catch (e) {
      await stop();
      throw e;
    }
  }

  it('in one group, each message goes to one of the nodes: decoded once, stored once, no duplicates', async () => {
    const { a, b, topic, source, stop } = await twoNodes({});
    try {
      await publish(`${topic}/vehicles`, Array.from({ length: N }, (_, k) => vehicle(k)));
      await settle(db, source, [a, b], N, N);
      expect(await storedOf(db, source)).toBe(N);
      expect(messagesOf(a) + messagesOf(b)).toBe(N);
      // Both take their share (Mosquitto hands the group's messages round in turn).
      expect(messagesOf(a)).toBeGreaterThan(0);
      expect(messagesOf(b)).toBeGreaterThan(0);
      expect({ accepted: a.tally.accepted + b.tally.accepted, duplicates: a.tally.duplicates + b.tally.duplicates }).toEqual({ accepted: N, duplicates: 0 });
      for (const n of [a, b]) expect(n.vigie.feedService.bridge!.counters).toMatchObject({ unmapped: 0, refused: 0 });
    } finally {
      await stop();
    }
  }, 60_000);

  it('with the group empty, every node gets every message (stored once, the other copy a duplicate)', async () => {
    const { a, b, topic, source, stop } = await twoNodes({ VIGIE_MQTT_SHARE_GROUP: '' });
    try {
      await publish(`${topic}/vehicles`, Array.from({ length: N }, (_, k) => vehicle(k)));
      await settle(db, source, [a, b], N, 2 * N);
      expect(await storedOf(db, source)).toBe(N);
      expect([messagesOf(a), messagesOf(b)]).toEqual([N, N]);
      expect({ accepted: a.tally.accepted + b.tally.accepted, duplicates: a.tally.duplicates + b.tally.duplicates }).toEqual({ accepted: N, duplicates: N });
    } finally {
      await stop();
    }
  }, 60_000);

  it('a changed mapping drops the shared subscription to its old topic, and takes the new one', async () => {
    const node = await nodeOn(db);
    try {
      const topic = `vigie-test/${rand()}`, source = `mosq-${rand()}`, id = `moved-${rand()}`;
      await map(node, id, source, `${topic}/old`);
      await map(node, id, source, `${topic}/new`, 'PUT');
      // One broker connection publishes both, in order: the old topic's message would come first.
      const client = await mqtt.connectAsync(MQTT_URL);
      await client.publishAsync(`${topic}/old`, vehicle(1), { qos: 1 });
      await client.publishAsync(`${topic}/new`, vehicle(2), { qos: 1 });
      await client.endAsync();
      await settle(db, source, [node], 1, 1);
      expect(await storedOf(db, source)).toBe(1);
      expect(node.vigie.feedService.bridge!.counters).toMatchObject({ messages: 1, unmapped: 0 });
    } finally {
      await node.stop();
    }
  }, 60_000);

  it('a persistent session from before the group (a plain subscription at the broker) is left: the node gets its share, not every message', async () => {
    const nodeId = `test-${rand()}`, clientId = `vigie-${nodeId}`;
    const topic = `vigie-test/${rand()}`, source = `mosq-${rand()}`;
    // The node's session as an earlier version left it: a plain subscription to the mapped filter.
    const before = await mqtt.connectAsync(MQTT_URL, { clientId, clean: false });
    await before.subscribeAsync(`${topic}/#`, { qos: 1 });
    await before.endAsync();
    const nodes: Node[] = [];
    try {
      nodes.push(await nodeOn(db, { VIGIE_NODE_ID: nodeId }));
      await map(nodes[0]!, `upgraded-${rand()}`, source, `${topic}/#`);
      nodes.push(await nodeOn(db));
      const [a, b] = nodes as [Node, Node];
      await publish(`${topic}/vehicles`, Array.from({ length: N }, (_, k) => vehicle(k)));
      await settle(db, source, nodes, N, N);
      expect(await storedOf(db, source)).toBe(N);
      // With the old subscription kept, the upgraded node would get every message, the other its share on top.
      expect(messagesOf(a) + messagesOf(b)).toBe(N);
      expect(a.tally.duplicates + b.tally.duplicates).toBe(0);
    } finally {
      for (const n of nodes) await n.stop();
      // Forget the session at the broker.
      await (await mqtt.connectAsync(MQTT_URL, { clientId, clean: true })).endAsync();
    }
  }, 60_000);
});
