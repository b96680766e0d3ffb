import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
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
