import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedIngest } from '../../ingest/feed-ingest.ts';
import { IngestPipeline } from '../../ingest/pipeline.ts';
import { Pseudonymiser } from '../../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../../ingest/rate-limit.ts';
import { Sealer } from '../../ingest/seal.ts';
import { createLogger } from '../../logger.ts';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import type { FeedConfig } from '../feed-configs-repo.ts';
import { encodeFeedMessage } from '../gtfs-rt/gtfs-rt-adapter.ts';
import { type Broker, startBroker } from './broker.ts';
import { MqttBridge } from './bridge.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z') / 1000;
const message = (k: number, vehicles: number) => Buffer.from(encodeFeedMessage({
  header: { gtfsRealtimeVersion: '2.0', timestamp: T0 },
  entity: Array.from({ length: vehicles }, (_, v) => ({ id: `e${v}`, vehicle: { vehicle: { id: `M${k}-V${v}` }, timestamp: T0 + k, position: { latitude: 43.3, longitude: 5.37 } } })),
}));

describe('MQTT bridge', () => {
  let t: TestDatabase;
  let broker: Broker;
  let bridge: MqttBridge;
  let feeds: FeedIngest;
  const log: string[] = [];
  beforeAll(async () => {
    t = await memoryDatabase();
    const ps = new Pseudonymiser('bridge-test-key-0123456789', 'k1');
    const pipeline = new IngestPipeline(t.db, ps, () => new Date());
    feeds = new FeedIngest({
      db: t.db, pipeline, sealer: new Sealer(ps.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'),
      now: () => new Date(), timeZone: 'Europe/Paris', onZones: async () => {},
    });
    // Record the order of decoding and writing, on the real FeedIngest.
    const precheck = feeds.precheck.bind(feeds), receiveChecked = feeds.receiveChecked.bind(feeds);
    feeds.precheck = (m) => { log.push(`decode ${m.body.length}`); return precheck(m); };
    feeds.receiveChecked = async (m, pre) => { log.push(`write ${m.body.length}`); const a = await receiveChecked(m, pre); log.push(`done ${m.body.length}`); return a; };
    broker = await startBroker(0, '127.0.0.1');
    bridge = new MqttBridge(`mqtt://127.0.0.1:${broker.port}`, feeds, createLogger('silent'));
    const at = new Date().toISOString();
    await bridge.reload([{
      kind: 'mqtt', id: 'm', source: 'bridge-test', format: 'gtfs-rt', topic: 'test/gtfs', enabled: true,
      etag: null, lastModified: null, lastPollAt: null, lastError: null, createdAt: at, updatedAt: at,
    } as FeedConfig]);
    await bridge.start();
  });
  afterAll(async () => {
    await bridge?.stop();
    await broker?.close();
    await t?.drop();
  });

  it('writes messages in order, one at a time, decoding at most the next one meanwhile', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
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
    // Never two writes at once, and never more than one message decoded ahead of the one being written.
    let writing = 0, ahead = 0;
    for (const l of log) {
      if (l.startsWith('write')) { writing++; ahead = Math.max(0, ahead - 1); }
      if (l.startsWith('done')) writing--;
      if (l.startsWith('decode')) ahead++;
      expect(writing).toBeLessThanOrEqual(1);
      expect(ahead).toBeLessThanOrEqual(1);
    }
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source = 'bridge-test'") as [{ n: number }];
    expect(n).toBe(66);
    expect(bridge.counters).toMatchObject({ messages: 6, unmapped: 0, refused: 0 });
  });
});
