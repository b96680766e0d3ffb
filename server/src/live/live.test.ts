import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_HEALTH_ONLY, type Alert, type AlertBatchBody, type AlertMessage, type FeedHealth, type PackedHeader } from '@vigie/rules';
import { assault, eventually, liveClient, login, postEvents, startNode, type LiveClient, type Running } from '../testing/harness.ts';
import { io as connect } from 'socket.io-client';

let node: Running;
const clients: LiveClient[] = [];
beforeAll(async () => { node = await startNode(); });
afterAll(async () => {
  for (const c of clients) c.close();
  await node?.stop();
});

async function operatorClient() {
  const { cookie } = await login(node.url, 'operator');
  const c = await liveClient(node.url, { cookie });
  clients.push(c);
  return c;
}

function collect(c: LiveClient) {
  const got: { event: string; m: AlertMessage }[] = [];
  c.on('alert:new', (ms) => got.push(...ms.map((m) => ({ event: 'alert:new', m }))));
  c.on('alert:update', (ms) => got.push(...ms.map((m) => ({ event: 'alert:update', m }))));
  return got;
}

describe('/live', () => {
  it('refuses a handshake without a session or a display token', async () => {
    await expect(liveClient(node.url, {})).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
    await expect(liveClient(node.url, { wallToken: 'wrong' })).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
  });

  it('takes a session only from the console\'s own pages: another site\'s page gets nothing with the cookie', async () => {
    const op = await login(node.url, 'operator');
    await expect(liveClient(node.url, { cookie: op.cookie, origin: 'https://evil.example' })).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
    await expect(liveClient(node.url, { cookie: op.cookie, origin: 'not a url' })).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
    // A page of the console's own site, on whatever port a proxy serves it (nginx passes the Host without it).
    await expect(liveClient(node.url, { cookie: op.cookie, origin: node.url.replace('127.0.0.1', 'evil.example') })).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
    const proxied = await liveClient(node.url, { cookie: op.cookie, origin: node.url.replace(/:\d+$/, ':8080') });
    clients.push(proxied);
    const own = await liveClient(node.url, { cookie: op.cookie, origin: node.url.toUpperCase() });
    clients.push(own);
    expect(own.connected).toBe(true);
  });

  it('closes a session\'s sockets when it signs out (another tab, another node): nothing more reaches a signed-out screen', async () => {
    const op = await login(node.url, 'operator');
    const c = await liveClient(node.url, { cookie: op.cookie });
    clients.push(c);
    const other = await operatorClient(); // another operator's session stays
    const closed = new Promise<string>((resolve) => c.on('disconnect', resolve));
    expect((await fetch(`${node.url}/api/v1/auth/logout`, { method: 'POST', headers: op.headers })).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    await expect(liveClient(node.url, { cookie: op.cookie })).rejects.toThrow(/VIGIE_AUTH_REQUIRED/);
    expect(other.connected).toBe(true);
  });

  it('pushes a new alert to operators with its seq and version', async () => {
    const c = await operatorClient();
    const got = collect(c);
    await postEvents(node.url, assault('live-1'));
    const msg = await eventually(() => got.find((g) => g.m.alert.evidence.some((e) => e.id === 'live-1')));
    expect(msg.event).toBe('alert:new');
    expect(msg.m.version).toBe(1);
    expect(msg.m.seq).toBe(msg.m.alert.seq);
    expect(msg.m.alert.ruleId).toBe('assault-injured');
  });

  it('a client that asked for deflate-raw gets the same messages in one packed frame per window', async () => {
    const json = await operatorClient();
    const packedClient = await liveClient(node.url, { cookie: (await login(node.url, 'operator')).cookie, encoding: 'deflate-raw' });
    clients.push(packedClient);
    const plain = collect(json);
    const packed: { event: string; m: AlertMessage }[] = [];
    const headers: PackedHeader[] = [];
    packedClient.on('alert:new', () => packed.push({ event: 'unexpected json frame', m: undefined as never }));
    packedClient.on('alert:packed', (header, body) => {
      headers.push(header);
      const b = JSON.parse(inflateRawSync(Buffer.from(body, 'base64')).toString('utf8')) as AlertBatchBody;
      packed.push(...b.created.map((m) => ({ event: 'alert:new', m })), ...b.updated.map((m) => ({ event: 'alert:update', m })));
    });
    await postEvents(node.url, [assault('packed-1'), assault('packed-2')]);
    const mine = (got: typeof plain) => got.filter((g) => g.m.alert.evidence.some((e) => e.id.startsWith('packed-')));
    await eventually(() => (mine(plain).length === 2 && mine(packed).length === 2 ? true : undefined));
    expect(packed.map((p) => p.event)).not.toContain('unexpected json frame');
    expect(mine(packed)).toEqual(mine(plain));
    const h = headers.find((x) => x.created + x.updated > 0)!;
    expect(h.lastSeq).toBeGreaterThanOrEqual(h.firstSeq);
    expect(mine(packed).every((p) => headers.some((x) => p.m.seq >= x.firstSeq && p.m.seq <= x.lastSeq))).toBe(true);
  });

  it('a client that reconnects gets exactly what it missed, once, in seq order', async () => {
    const first = await operatorClient();
    const { lastSeq } = await first.emitWithAck('sync', { since: 0 });
    first.close();
    // while it is away: two new alerts and one update
    await postEvents(node.url, [assault('away-1'), assault('away-2')]);
    await node.vigie.engine.drain();
    const op = await login(node.url, 'operator');
    const list = (await (await fetch(`${node.url}/api/v1/alerts?status=open`, { headers: op.headers })).json()) as { alerts: { id: string; ruleId: string; version: number; evidence: { id: string }[] }[] };
    const away1 = list.alerts.find((a) => a.ruleId === 'assault-injured' && a.evidence.some((e) => e.id === 'away-1'))!;
    await fetch(`${node.url}/api/v1/alerts/${away1.id}/ack`, { method: 'POST', headers: op.headers, body: JSON.stringify({ version: away1.version }) });

    const again = await operatorClient();
    const reply = await again.emitWithAck('sync', { since: lastSeq });
    // The assaults' own alerts (incident-cluster, firing on arrival, gathers this test file's assaults as well).
    const ids = reply.messages.filter((m) => m.alert.ruleId === 'assault-injured').map((m) => m.alert.evidence.map((e) => e.id).join());
    expect(ids).toEqual(['away-2', 'away-1']);
    expect(reply.messages.map((m) => m.seq)).toEqual([...reply.messages.map((m) => m.seq)].sort((a, b) => a - b));
    expect(reply.messages.find((m) => m.alert.id === away1.id)).toMatchObject({ version: 2, alert: { status: 'acknowledged' } });
    expect(reply.lastSeq).toBe(reply.messages.at(-1)!.seq);
    const none = await again.emitWithAck('sync', { since: reply.lastSeq });
    expect(none).toEqual({ messages: [], lastSeq: reply.lastSeq, more: false });
  });

  it('answers a sync whatever its since: a fraction read down, anything else not a whole number from the start', async () => {
    const c = await operatorClient();
    const all = await c.timeout(3000).emitWithAck('sync', { since: 0 });
    for (const since of [1.5, 1e20, '9223372036854775807', -3, 'x', null]) {
      const reply = await c.timeout(3000).emitWithAck('sync', { since } as never);
      expect(reply.messages.length, String(since)).toBe(since === 1.5 ? all.messages.filter((m: { seq: number }) => m.seq > 1).length : all.messages.length);
    }
    c.close();
  });

  it('a sync with more changes than a reply holds says so, and asking again from its lastSeq gets every change once, in seq order', async () => {
    await postEvents(node.url, Array.from({ length: 10 }, (_, i) => assault(`paged-${i}`)));
    await node.vigie.engine.drain();
    const op = await login(node.url, 'operator');
    const list = (await (await fetch(`${node.url}/api/v1/alerts?status=open`, { headers: op.headers })).json()) as { alerts: { id: string; version: number; evidence: { id: string }[] }[]; lastSeq: number };
    // Updates too: an acknowledged alert comes back once, at its new seq.
    const paged0 = list.alerts.find((a) => a.evidence.some((e) => e.id === 'paged-0'))!;
    const ack = await fetch(`${node.url}/api/v1/alerts/${paged0.id}/ack`, { method: 'POST', headers: op.headers, body: JSON.stringify({ version: paged0.version }) });
    expect(ack.status).toBe(200);

    const c = await operatorClient();
    const live = node.vigie.live;
    const whole = await c.emitWithAck('sync', { since: 0 });
    expect(whole.more).toBe(false);
    expect(whole.messages.length).toBeGreaterThan(9);
    try {
      live.syncLimit = 3;
      const replies = [];
      let since = 0;
      for (let round = 0; round < 100; round++) {
        const r = await c.emitWithAck('sync', { since });
        replies.push(r);
        expect(r.messages.length).toBeLessThanOrEqual(3);
        since = r.lastSeq;
        if (!r.more) break;
      }
      expect(replies.length).toBe(Math.ceil(whole.messages.length / 3));
      expect(replies.slice(0, -1).every((r) => r.more && r.messages.length === 3)).toBe(true);
      const got = replies.flatMap((r) => r.messages);
      expect(got).toEqual(whole.messages);
      expect(new Set(got.map((m) => m.alert.id)).size).toBe(got.length);
      expect(got.map((m) => m.seq)).toEqual([...got.map((m) => m.seq)].sort((a, b) => a - b));
      expect(got.find((m) => m.alert.id === paged0.id)).toMatchObject({ version: 2, alert: { status: 'acknowledged' } });
      expect(since).toBe(whole.lastSeq);
      // A page that ends exactly at the last change says nothing more remains.
      live.syncLimit = whole.messages.length;
      expect(await c.emitWithAck('sync', { since: 0 })).toMatchObject({ lastSeq: whole.lastSeq, more: false });
      live.syncLimit = whole.messages.length - 1;
      expect(await c.emitWithAck('sync', { since: 0 })).toMatchObject({ lastSeq: whole.messages.at(-2)!.seq, more: true });
    } finally {
      live.syncLimit = 2000;
    }
  });

  it('a wall screen gets alerts without personal data', async () => {
    const wall = await liveClient(node.url, { wallToken: 'demo-wall' });
    clients.push(wall);
    const got = collect(wall);
    await postEvents(node.url, assault('wall-1'));
    const msg = await eventually(() => got.find((g) => g.m.alert.ruleId === 'assault-injured' && g.event === 'alert:new'));
    expect(msg.m.alert.history).toEqual([]);
    expect(msg.m.alert.assignee).toBeNull();
    expect(msg.m.alert.evidence.every((e) => e.id === '')).toBe(true);
    expect(JSON.stringify(msg.m)).not.toMatch(/06 12|wall-1/);
  });

  it('tells supervisors, and only them, about escalated alerts', async () => {
    const op = await operatorClient();
    const sup = await liveClient(node.url, { cookie: (await login(node.url, 'supervisor')).cookie });
    clients.push(sup);
    const seen: Record<string, AlertMessage[]> = { op: [], sup: [] };
    op.on('alert:escalated', (ms) => seen.op!.push(...ms));
    sup.on('alert:escalated', (ms) => seen.sup!.push(...ms));
    await postEvents(node.url, assault('escalating-1'));
    await node.vigie.engine.drain();
    const { alerts } = (await (await fetch(`${node.url}/api/v1/alerts?status=open`, { headers: (await login(node.url, 'operator')).headers })).json()) as { alerts: Alert[] };
    const a = alerts.find((x) => x.evidence.some((e) => e.id === 'escalating-1'))!;
    node.vigie.live.escalated([a]);
    const got = await eventually(() => seen.sup!.find((m) => m.alert.id === a.id));
    expect(got).toMatchObject({ seq: a.seq, version: a.version });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.op).toEqual([]);
  });

  it('streams a thinned sample of vehicle positions', async () => {
    const c = await operatorClient();
    const samples: { vehicles: { id: string }[] }[] = [];
    c.on('events:sample', (s) => samples.push(s));
    await postEvents(node.url, [1, 2].map((k) => ({ id: `veh-${k}`, source: 'rtm', type: 'transport.vehicle.position', time: new Date().toISOString(), location: { lat: 43.3, lon: 5.38 }, attributes: { vehicleId: `bus-${k}`, line: '83' } })));
    const s = await eventually(() => samples.find((x) => x.vehicles.length >= 2), 4000);
    expect(s.vehicles.map((v) => v.id).sort()).toEqual(['bus-1', 'bus-2']);
  });

  it('a client that connects gets every vehicle at once; samples then carry only those that moved', async () => {
    const { cookie } = await login(node.url, 'operator');
    const c: LiveClient = connect(`${node.url}/live`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true, autoConnect: false });
    clients.push(c);
    const samples: { vehicles: { id: string; lat: number }[] }[] = [];
    c.on('events:sample', (s) => samples.push(s));
    c.connect();
    const first = await eventually(() => samples[0], 4000);
    expect(first.vehicles.map((v) => v.id).sort()).toEqual(['bus-1', 'bus-2']);
    await postEvents(node.url, [{ id: 'veh-1-moved', source: 'rtm', type: 'transport.vehicle.position', time: new Date().toISOString(), location: { lat: 43.31, lon: 5.38 }, attributes: { vehicleId: 'bus-1', line: '83' } }]);
    const moved = await eventually(() => samples.find((s) => s.vehicles.some((v) => v.id === 'bus-1' && v.lat === 43.31)), 4000);
    expect(moved.vehicles.map((v) => v.id)).toEqual(['bus-1']);
  });

  it('a page that asked for feed health only (the admin\'s feeds page) gets feed:health, and no alert, escalation or map frame', async () => {
    const admin = await login(node.url, 'admin');
    const healthOnly = await liveClient(node.url, { cookie: admin.cookie, only: LIVE_HEALTH_ONLY });
    const full = await liveClient(node.url, { cookie: admin.cookie });
    clients.push(healthOnly, full);
    const seen: string[] = [];
    for (const event of ['alert:new', 'alert:update', 'alert:packed', 'alert:escalated', 'events:sample'] as const) healthOnly.on(event, () => seen.push(event));
    const health: FeedHealth[][] = [];
    healthOnly.on('feed:health', (h) => health.push(h));
    const got = collect(full);
    await postEvents(node.url, assault('health-only-1'));
    await postEvents(node.url, [{ id: 'health-only-veh', source: 'rtm', type: 'transport.vehicle.position', time: new Date().toISOString(), location: { lat: 43.3, lon: 5.38 }, attributes: { vehicleId: 'bus-h', line: '83' } }]);
    const m = await eventually(() => got.find((g) => g.m.alert.evidence.some((e) => e.id === 'health-only-1')));
    node.vigie.live.escalated([m.m.alert]);
    const report = { source: 'csu', lastEventAt: null, lastReceivedAt: null, eventsLastHour: 0, status: 'no-data' as const };
    node.vigie.live.feedHealth([report]);
    expect(await eventually(() => health[0])).toEqual([report]);
    await new Promise((r) => setTimeout(r, 1200)); // a sample window and more
    expect(seen).toEqual([]);
    expect(healthOnly.connected).toBe(true);
  });
});
