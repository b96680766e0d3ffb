import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedIngest } from '../../ingest/feed-ingest.ts';
import { IngestPipeline } from '../../ingest/pipeline.ts';
import { Pseudonymiser } from '../../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../../ingest/rate-limit.ts';
import { Sealer } from '../../ingest/seal.ts';
import { createLogger } from '../../logger.ts';
import type { SqlClient } from '../../storage/sql-client.ts';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import type { FeedConfig } from '../feed-configs-repo.ts';
import { encodeFeedMessage } from '../gtfs-rt/gtfs-rt-adapter.ts';
import { type Broker, type BrokerAccess, startBroker } from './broker.ts';
import { MqttBridge } from './bridge.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z') / 1000;
const message = (k: number, vehicles: number) => Buffer.from(encodeFeedMessage({
  header: { gtfsRealtimeVersion: '2.0', timestamp: T0 },
  entity: Array.from({ length: vehicles }, (_, v) => ({ id: `e${v}`, vehicle: { vehicle: { id: `M${k}-V${v}` }, timestamp: T0 + k, position: { latitude: 43.3, longitude: 5.37 } } })),
}));

/** The in-process broker as a node runs it: the bridge signs in with its secret, feeds with a feed token. */
const BRIDGE = { username: 'vigie-bridge', password: 'bridge-secret-for-tests' };
const FEED = { username: 'feed', password: 'test-feed-token' };
const ACCESS: BrokerAccess = {
  bridge: BRIDGE,
  sender: async (token) => (token === FEED.password ? { name: 'test feed', sources: null } : undefined),
  source: (topic) => (topic.startsWith('test/') ? 'test' : undefined),
};

/** A GTFS-RT feed of `source` on an MQTT topic. */
const gtfsMapping = (source: string, topic: string): FeedConfig => {
  const at = new Date().toISOString();
  return { kind: 'mqtt', id: 'm', source, format: 'gtfs-rt', topic, enabled: true, etag: null, lastModified: null, lastPollAt: null, lastError: null, createdAt: at, updatedAt: at } as FeedConfig;
};

/** The one ingest path (pipeline, dead letters) on `db`, as a node has it. */
function feedIngest(db: SqlClient): FeedIngest {
  const ps = new Pseudonymiser('bridge-test-key-0123456789', 'k1');
  return new FeedIngest({
    db, pipeline: new IngestPipeline(db, ps, () => new Date()), sealer: new Sealer(ps.keyring), limiter: new FeedRateLimiter(0),
    log: createLogger('silent'), now: () => new Date(), timeZone: 'Europe/Paris', onZones: async () => {},
  });
}

describe('MQTT bridge', () => {
  let t: TestDatabase;
  let broker: Broker;
  let bridge: MqttBridge;
  let feeds: FeedIngest;
  const log: string[] = [];
  beforeAll(async () => {
    t = await memoryDatabase();
    feeds = feedIngest(t.db);
    // Record the order of decoding and writing, on the real FeedIngest.
    const precheck = feeds.precheck.bind(feeds), receiveChecked = feeds.receiveChecked.bind(feeds);
    feeds.precheck = (m) => { log.push(`decode ${m.body.length}`); return precheck(m); };
    feeds.receiveChecked = async (m, pre) => { log.push(`write ${m.body.length}`); const a = await receiveChecked(m, pre); log.push(`done ${m.body.length}`); return a; };
    broker = await startBroker(0, '127.0.0.1', ACCESS);
    bridge = new MqttBridge(`mqtt://127.0.0.1:${broker.port}`, feeds, createLogger('silent'), undefined, { credentials: BRIDGE });
    await bridge.reload([gtfsMapping('bridge-test', 'test/gtfs')]);
    await bridge.start();
  });
  afterAll(async () => {
    await bridge?.stop();
    await broker?.close();
    await t?.drop();
  });

  it('handles messages in order, one at a time: the next is taken from the broker once the last is stored', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, FEED);
    // Distinct sizes tell the messages apart in the log.
    const sizes = [30, 1, 20, 2, 10, 3].map((n, k) => message(k, n));
    for (const m of sizes) await client.publishAsync('test/gtfs', m, { qos: 1 });
    await client.endAsync();
    for (let i = 0; i < 200 && log.filter((l) => l.startsWith('done')).length < sizes.length; i++) {
      await bridge.idle();
      await new Promise((r) => setTimeout(r, 20));
    }
    const order = (verb: string) => log.filter((l) => l.startsWith(verb)).map((l) => Number(l.split(' ')[1]));
    expect(order('write')).toEqual(sizes.map((m) => m.length));
    expect(order('decode')).toEqual(sizes.map((m) => m.length));
    // Each message decoded, written and stored before the next is even decoded (acknowledged to the broker in between).
    expect(log).toEqual(sizes.flatMap((m) => [`decode ${m.length}`, `write ${m.length}`, `done ${m.length}`]));
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source = 'bridge-test'") as [{ n: number }];
    expect(n).toBe(66);
    expect(bridge.counters).toMatchObject({ messages: 6, unmapped: 0, refused: 0 });
  });
});

describe('MQTT bridge, when the database fails', () => {
  let t: TestDatabase;
  let broker: Broker;
  let bridge: MqttBridge;
  /** How many writes of events fail from now on (the database unreachable). */
  let failures = 0;
  /** While true, every write fails, dead letters included (the database down). */
  let down = false;
  /** How many writes of events the database refuses outright (a SQLSTATE of class 22: a value it cannot take). */
  let refusals = 0;
  beforeAll(async () => {
    t = await memoryDatabase();
    const db = {
      ...t.db,
      query: async <T,>(sql: string, params?: unknown[]) => {
        if (down && /^\s*(INSERT|COPY)/.test(sql)) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        if (/^\s*(INSERT INTO events|COPY events)/.test(sql) && failures > 0) { failures--; throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); }
        if (/^\s*(INSERT INTO events|COPY events)/.test(sql) && refusals > 0) { refusals--; throw Object.assign(new Error('date/time field value out of range'), { code: '22008' }); }
        return t.db.query<T>(sql, params);
      },
    };
    const feeds = feedIngest(db);
    broker = await startBroker(0, '127.0.0.1', ACCESS);
    bridge = new MqttBridge(`mqtt://127.0.0.1:${broker.port}`, feeds, createLogger('silent'), undefined, { retry: { attempts: 3, firstMs: 20, maxMs: 40 }, credentials: BRIDGE });
    await bridge.reload([gtfsMapping('bridge-fail', 'test/fail')]);
    await bridge.start();
  });
  afterAll(async () => {
    await bridge?.stop();
    await broker?.close();
    await t?.drop();
  });

  const publish = async (messages: Buffer[]) => {
    const until = bridge.counters.messages + messages.length;
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, FEED);
    for (const m of messages) await client.publishAsync('test/fail', m, { qos: 1 });
    await client.endAsync();
    await settle(until);
  };
  const settle = async (until: number) => {
    for (let i = 0; i < 200 && bridge.counters.messages < until; i++) await new Promise((r) => setTimeout(r, 20));
    await bridge.idle();
  };
  /** The vehicles stored (ids are veh-<vehicle>-<time>). */
  const stored = async () => (await t.db.query<{ id: string }>("SELECT id FROM events WHERE source = 'bridge-fail' ORDER BY id")).map((r) => r.id.split('-').slice(1, 3).join('-'));

  it('a write that fails is tried again, the messages behind it wait, and nothing is lost', async () => {
    failures = 2;
    await publish([message(1, 2), message(2, 2)]);
    expect(await stored()).toEqual(['M1-V0', 'M1-V1', 'M2-V0', 'M2-V1']);
    expect(bridge.counters).toMatchObject({ messages: 2, retries: 2, unwritten: 0, refused: 0 });
  });

  it('after the last attempt the message is kept as a dead letter, and the next one goes on', async () => {
    failures = 3;
    await publish([message(3, 1), message(4, 1)]);
    expect(await stored()).toEqual(['M1-V0', 'M1-V1', 'M2-V0', 'M2-V1', 'M4-V0']);
    expect(bridge.counters).toMatchObject({ messages: 4, retries: 4, unwritten: 1, refused: 1 });
    const letters = await t.db.query<{ code: string; reason: string; source: string }>('SELECT code, reason, source FROM dead_letters');
    expect(letters).toEqual([{ code: 'VIGIE_UNAVAILABLE', reason: expect.stringContaining('ECONNREFUSED'), source: 'bridge-fail' }]);
  });

  it('when the dead letter cannot be stored either, the message is held until the database is back; the broker keeps the others', async () => {
    down = true;
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, FEED);
    const until = bridge.counters.messages + 5;
    // QoS 1: each publish resolves once the broker has it (not once Vigie does).
    for (let k = 5; k <= 9; k++) await client.publishAsync('test/fail', message(k, 1), { qos: 1 });
    let most = 0;
    for (let i = 0; i < 25; i++) {
      most = Math.max(most, bridge.waiting);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Held: nothing stored, nothing dropped; only the message being written taken from the broker.
    expect(bridge.counters).toMatchObject({ held: 1, unwritten: 1 });
    expect(most).toBe(1);
    expect(bridge.counters.messages).toBeLessThan(until - 1);
    down = false;
    await settle(until);
    await client.endAsync();
    expect(await stored()).toEqual(['M1-V0', 'M1-V1', 'M2-V0', 'M2-V1', 'M4-V0', 'M5-V0', 'M6-V0', 'M7-V0', 'M8-V0', 'M9-V0']);
    expect(bridge.counters).toMatchObject({ messages: 9, held: 1, unwritten: 1, refused: 1 });
    expect(bridge.waiting).toBe(0);
  });

  it('an item the database refuses outright is not tried again: refused alone with a dead letter at once, the next message goes on', async () => {
    refusals = 1;
    const before = { ...bridge.counters };
    await publish([message(10, 1), message(11, 1)]);
    expect((await stored()).filter((v) => v.startsWith('M1') && v.length === 6)).toEqual(['M11-V0']); // M10 refused, M11 stored
    expect(bridge.counters.retries).toBe(before.retries); // none
    expect(bridge.counters.refused).toBe(before.refused + 1);
    const letters = await t.db.query<{ code: string; reason: string }>('SELECT code, reason FROM dead_letters ORDER BY id');
    expect(letters.at(-1)).toEqual({ code: 'VIGIE_EVENT_INVALID', reason: expect.stringContaining('the database refused this item') });
  });
});


describe('MQTT bridge with a persistent session', () => {
  let t: TestDatabase;
  let broker: Broker;
  /** While set, writes of events wait for it (the database stalled); rejected, they fail. */
  let stall: { promise: Promise<void>; fail: () => void; started: boolean } | undefined;
  let feeds: FeedIngest;
  beforeAll(async () => {
    t = await memoryDatabase();
    const db = {
      ...t.db,
      query: async <T,>(sql: string, params?: unknown[]) => {
        if (stall && /^\s*(INSERT INTO events|COPY events)/.test(sql)) { stall.started = true; await stall.promise; }
        return t.db.query<T>(sql, params);
      },
    };
    feeds = feedIngest(db);
    broker = await startBroker(0, '127.0.0.1', ACCESS);
  });
  afterAll(async () => {
    await broker?.close();
    await t?.drop();
  });

  const node = async () => {
    const b = new MqttBridge(`mqtt://127.0.0.1:${broker.port}`, feeds, createLogger('silent'), undefined, { retry: { attempts: 3, firstMs: 20, maxMs: 40 }, clientId: 'vigie-test-node', credentials: BRIDGE });
    await b.reload([gtfsMapping('bridge-session', 'test/session')]);
    await b.start();
    return b;
  };

  it('a message the node stopped before storing is sent again by the broker when the node is back, and stored once', async () => {
    const first = await node();
    let fail!: () => void;
    stall = { promise: new Promise<void>((_, reject) => { fail = () => reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')); }), fail: () => fail(), started: false };
    stall.promise.catch(() => {});
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, FEED);
    await client.publishAsync('test/session', message(20, 2), { qos: 1 });
    await client.endAsync();
    for (let i = 0; i < 200 && !stall.started; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stall.started).toBe(true);
    // The node goes down in the middle of the write, which then fails: not acknowledged, not a dead letter.
    await first.stop();
    const stalled = stall;
    stall = undefined;
    stalled.fail();
    await first.idle();
    expect(await t.db.query("SELECT id FROM events WHERE source = 'bridge-session'")).toEqual([]);

    const again = await node();
    for (let i = 0; i < 200 && again.counters.messages < 1; i++) await new Promise((r) => setTimeout(r, 20));
    await again.idle();
    await again.stop();
    const stored = await t.db.query<{ id: string }>("SELECT id FROM events WHERE source = 'bridge-session' ORDER BY id");
    expect(stored.map((r) => r.id.split('-').slice(1, 3).join('-'))).toEqual(['M20-V0', 'M20-V1']);
    expect(await t.db.query('SELECT id FROM dead_letters')).toEqual([]);
  });
});

describe('the in-process broker and a feed token revoked while connected', () => {
  it('stops taking its messages once the token is read again', async () => {
    let revoked = false;
    const broker = await startBroker(0, '127.0.0.1', { ...ACCESS, recheckMs: 50, sender: async (token) => (token === FEED.password && !revoked ? { name: 'test feed', sources: null } : undefined) });
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { ...FEED, reconnectPeriod: 0 });
      client.on('error', () => {});
      await client.publishAsync('test/revoked', 'taken', { qos: 1 }); // acknowledged: still valid
      revoked = true;
      await new Promise((r) => setTimeout(r, 100));
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish('test/revoked', 'refused', { qos: 1 });
      await closed;
      client.end(true);
    } finally {
      await broker.close();
    }
  });
});
