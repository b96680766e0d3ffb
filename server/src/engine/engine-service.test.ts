import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRule, parseRule, type Alert, type StoredEvent } from '@vigie/rules';
import { AlertService } from '../alerts/alert-service.ts';
import { createLogger } from '../logger.ts';
import { NO_PUBLISHER } from '../live/publisher.ts';
import { insertEvents } from '../storage/events-repo.ts';
import { flushFeedMinutes } from '../storage/feed-minutes-repo.ts';
import { markImport } from '../storage/feed-imports-repo.ts';
import { listAlerts } from '../storage/alerts-repo.ts';
import { loadSnapshot } from '../storage/snapshots-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { upsertZones } from '../storage/zones-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { EngineService } from './engine-service.ts';

const CLUSTER = compileRule((parseRule('id: cluster\ntitle: T\nseverity: high\nkind: threshold\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n') as { ok: true; rule: never }).rule);
const SURGE = compileRule((parseRule('id: surge\ntitle: T\nseverity: medium\nkind: anomaly\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 1h\nminCount: 5\n') as { ok: true; rule: never }).rule);
const ZONE = { id: 'z', name: 'Z', kind: 'sector', tags: [], geometry: { type: 'Polygon' as const, coordinates: [[[5.3, 43.2], [5.5, 43.2], [5.5, 43.4], [5.3, 43.4], [5.3, 43.2]] as [number, number][]] } };

let t: TestDatabase;
let clock = Date.parse('2026-11-28T20:00:00Z');
const now = () => new Date(clock);
const log = createLogger('silent');
beforeEach(async () => { t = await memoryDatabase(); await upsertZones(t.db, [ZONE]); });
afterEach(async () => { await t.drop(); });

function node(rules = [CLUSTER]) {
  const alerts = new AlertService(t.db, NO_PUBLISHER, now);
  return new EngineService(t.db, alerts, log, 'n1', [ZONE], rules, 'Europe/Paris', now, 60_000);
}

/** Stores events as the pipeline would (received now) and returns them. */
async function store(ids: string[], at: number): Promise<StoredEvent[]> {
  const events = ids.map((id, i) => ({ id, source: 'csu', type: 'incident.fight', time: new Date(at + i * 1000).toISOString(), location: { lat: 43.3, lon: 5.4 }, receivedAt: now().toISOString() }));
  const r = await insertEvents(t.db, events.map((event) => ({ event, hash: event.id })));
  return r.inserted;
}

const alerts = async (): Promise<Alert[]> => listAlerts(t.db, { limit: 100 });

describe('EngineService', () => {
  it('resumes windows from its snapshot plus the events stored since: no alert lost, none raised twice', async () => {
    const a = node();
    await a.process(await store(['e1', 'e2'], clock));
    clock += 65_000;
    await a.tick();
    await a.snapshot();
    await a.drain();
    // stored after the snapshot, and never processed by the node that crashed
    clock += 1000;
    await store(['e3'], clock - 60_000);
    const b = node();
    expect(await b.resume()).toBe(1);
    clock += 120_000;
    await b.tick();
    await b.drain();
    const list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ ruleId: 'cluster', count: 3 });
    // the same events replayed again (a second restart from the same snapshot) do not make a second alert
    const c = node();
    await c.resume();
    clock += 120_000;
    await c.tick();
    await c.drain();
    expect(await alerts()).toHaveLength(1);
  });

  it('replays a batch received before the snapshot but processed after it (batches commit out of order), and none twice', async () => {
    const a = node();
    const early = clock;
    await a.process(await store(['e1'], clock));
    clock += 2000;
    await a.process(await store(['e2'], clock));
    // e3 was received (stamped) before e2 but its batch committed last: the snapshot comes before it reaches the engine.
    const e3 = { id: 'e3', source: 'csu', type: 'incident.fight', time: new Date(early + 500).toISOString(), location: { lat: 43.3, lon: 5.4 }, receivedAt: new Date(early + 500).toISOString() };
    await insertEvents(t.db, [{ event: e3, hash: 'e3' }]);
    await a.snapshot();
    await a.drain(); // the node crashes before processing e3
    const b = node();
    expect(await b.resume()).toBe(1); // e3 only: e1 and e2 are in the snapshot
    clock += 65_000;
    await b.tick();
    await b.drain();
    expect((await alerts()).map((x) => [x.ruleId, x.count])).toEqual([['cluster', 3]]);
  });

  it('replays every event of a batch that a page of the replay cuts in two (they share one received time)', async () => {
    const a = node();
    await a.snapshot();
    await a.drain();
    clock += 10_000;
    await store(['b1', 'b2', 'b3', 'b4', 'b5'], clock); // one batch, one received_at
    const b = node();
    expect(await b.resume(2)).toBe(5);
    clock += 65_000;
    await b.tick();
    await b.drain();
    expect((await alerts()).map((x) => [x.ruleId, x.count])).toEqual([['cluster', 5]]);
  });

  it('keeps no snapshot past alerts it could not store before a stop: the next start replays them, none lost', async () => {
    // The alerts' database is down (every transaction fails) while the third event completes the cluster.
    const down: SqlClient = Object.create(t.db);
    down.transaction = async () => { throw new Error('Connection terminated unexpectedly'); };
    const service = new AlertService(down, NO_PUBLISHER, now, undefined, { retry: { firstMs: 60_000, maxMs: 60_000 } });
    const a = new EngineService(t.db, service, log, 'n1', [ZONE], [CLUSTER], 'Europe/Paris', now, 60_000);
    await a.process(await store(['e1'], clock));
    await a.snapshot(); // an earlier snapshot, before the cluster
    const saved = await loadSnapshot(t.db, 'n1');
    clock += 1000;
    await a.process(await store(['e2', 'e3'], clock));
    clock += 65_000;
    const ticking = a.tick(); // the cluster fires; its alert waits for the database
    await new Promise((r) => setTimeout(r, 50));
    service.close(); // the node stops
    await ticking;
    await a.snapshot();
    await a.drain();
    expect(await alerts()).toEqual([]);
    expect((await loadSnapshot(t.db, 'n1'))!.at).toEqual(saved!.at); // the stop kept no snapshot past the unstored alert
    // The next start resumes from the earlier snapshot, replays e2 and e3, and stores the alert.
    const b = node();
    expect(await b.resume()).toBe(2);
    clock += 65_000;
    await b.tick();
    await b.drain();
    expect((await alerts()).map((x) => [x.ruleId, x.count])).toEqual([['cluster', 3]]);
  });

  it('ends, once their condition clears, the alerts a rule raised before it was put in shadow mode (and raises none from then)', async () => {
    const s = node([CLUSTER]);
    const recorded: string[] = [];
    s.onShadow = async (ts) => { recorded.push(...ts.map((x) => `${x.kind}:${x.key}`)); };
    await s.process(await store(['e1', 'e2', 'e3'], clock));
    clock += 65_000;
    await s.tick();
    await s.drain();
    expect((await alerts()).map((a) => [a.key, a.conditionActive])).toEqual([['z', true]]);
    await s.setRules([CLUSTER], new Set(['cluster']));
    await s.process(await store(['e4'], clock)); // counted in shadow: the alert is not updated
    clock += 15 * 60_000;
    await s.process(await store(['x1'], clock)); // time goes on: the window empties
    clock += 65_000;
    await s.tick();
    await s.drain();
    const [a] = await alerts();
    expect([a!.count, a!.conditionActive, a!.explanation.kind]).toEqual([3, false, 'threshold-cleared']);
    expect(recorded).toEqual(['updated:z', 'resolved:z']);
  });

  it('logs events out of time once, then at most a line a minute with the counts (not a line per batch)', async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const keep = (msg: string, fields?: Record<string, unknown>) => { lines.push({ msg, fields }); };
    const s = new EngineService(t.db, new AlertService(t.db, NO_PUBLISHER, now), { debug: () => {}, info: () => {}, warn: keep, error: keep }, 'n1', [ZONE], [CLUSTER], 'Europe/Paris', now, 60_000);
    await s.process(await store(['now'], clock));
    // 10 batches of events later than the allowed lateness (a feed replaying its history).
    for (let i = 0; i < 10; i++) await s.process(await store([`late-${i}-a`, `late-${i}-b`], clock - 600_000 + i * 2000));
    await s.drain();
    const outOfTime = () => lines.filter((l) => l.msg === 'engine: events out of time');
    expect(outOfTime()).toHaveLength(1);
    expect(outOfTime()[0]!.fields).toMatchObject({ count: 2, late: 2, future: 0, first: { kind: 'late', id: 'late-0-a' } });
    s.flushLog(); // the minute over (or the node stopping)
    expect(outOfTime()).toHaveLength(2);
    expect(outOfTime()[1]!.fields).toMatchObject({ count: 18, late: 18, future: 0, times: 9, periodMs: 60_000 });
    expect(s.counters.late).toBe(20);
  });

  it('learns baselines from stored history for anomaly rules', async () => {
    const s = node([SURGE]);
    expect(s.ruleStatus()[0]!.state).toBe('waiting-for-baseline');
    // four weeks of one event an hour, stored
    const start = clock - 28 * 86_400_000;
    const history = Array.from({ length: 28 * 24 }, (_, i) => ({ id: `h${i}`, source: 'csu', type: 'incident.theft', time: new Date(start + i * 3_600_000).toISOString(), location: { lat: 43.3, lon: 5.4 }, receivedAt: new Date(start + i * 3_600_000).toISOString() }));
    await insertEvents(t.db, history.map((event) => ({ event, hash: event.id })));
    await s.refreshBaselines();
    expect(s.ruleStatus()[0]!.state).toBe('running');
    // a burst of 12 in 20 minutes where about one an hour is usual
    await s.process(await store(Array.from({ length: 12 }, (_, i) => `b${i}`), clock));
    clock += 180_000;
    await s.tick();
    await s.drain();
    const [alert] = await alerts();
    expect(alert).toMatchObject({ ruleId: 'surge', zones: ['z'] });
    expect(Number(alert!.explanation.numbers.expected)).toBeCloseTo(1, 0);
  });
});

describe('a rule changed while the engine runs', () => {
  const cluster = (yaml: string, version: number) => compileRule((parseRule(yaml) as { ok: true; rule: never }).rule, version);
  const V1 = 'id: cluster\ntitle: T\nseverity: high\nkind: threshold\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n';
  const QUIET = 'id: quiet\ntitle: T\nseverity: low\nkind: absence\ngroupBy: source\nfor: 10m\n';
  /** Processes events stored now, then lets the watermark pass them. */
  async function evaluated(s: EngineService, ids: string[]) {
    await s.process(await store(ids, clock));
    clock += 65_000;
    await s.tick();
  }

  it('is rebuilt from the stored events it would have seen: a lower threshold fires on the events already in its window', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2']);
    await s.setRules([cluster(V1.replace('gte: 3', 'gte: 2'), 2)]);
    await s.drain();
    expect((await alerts()).map((a) => [a.count, a.conditionActive, a.evidence.map((e) => e.id).join()])).toEqual([[2, true, 'e1,e2']]);
    // The next event updates that alert: the new version holds the window.
    await evaluated(s, ['e3']);
    await s.drain();
    expect((await alerts()).map((a) => a.count)).toEqual([3]);
  });

  it('ends the alerts the new version does not hold, and keeps those it does, one alert each', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2', 'e3']);
    await s.drain();
    const [before] = await alerts();
    await s.setRules([cluster(V1.replace('gte: 3', 'gte: 4'), 2)]);
    await s.drain();
    const [over] = await alerts();
    expect(over).toMatchObject({ id: before!.id, conditionActive: false, explanation: { kind: 'rule-changed', numbers: { version: 2 } } });
    expect(over!.history.at(-1)).toMatchObject({ action: 'condition-cleared' });
    await s.setRules([cluster(V1.replace('gte: 3', 'gte: 2'), 3)]);
    await s.drain();
    const list = await alerts();
    expect(list.map((a) => [a.id, a.count, a.conditionActive])).toEqual([[before!.id, 3, true]]);
  });

  it('counts once the events stored but still on their way to the engine', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2']);
    clock += 10_000;
    const late = await store(['e3'], clock - 70_000); // stored, its batch not yet processed; stamped behind the watermark
    await s.setRules([cluster(V1.replace('gte: 3', 'gte: 2'), 2)]);
    await s.process(late);
    await s.drain();
    expect((await alerts()).map((a) => a.count)).toEqual([3]);
  });

  it('that only words its alerts otherwise goes on from its state, replaying nothing', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2']);
    await s.setRules([cluster(V1.replace('title: T', 'title: Bagarres'), 2)]);
    await s.drain();
    expect(await alerts()).toEqual([]);
    await evaluated(s, ['e3']);
    await s.drain();
    expect((await alerts()).map((a) => [a.title, a.count])).toEqual([['Bagarres', 3]]);
  });

  it('since the snapshot a node resumes from: rebuilt from the events that snapshot had seen, then the replay', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2']);
    await a.snapshot();
    await a.drain();
    clock += 1000;
    await store(['e3'], clock - 60_000); // after the snapshot: comes in the replay
    const b = node([cluster(V1.replace('gte: 3', 'gte: 2'), 2)]);
    expect(await b.resume()).toBe(1);
    clock += 120_000;
    await b.tick();
    await b.drain();
    expect((await alerts()).map((x) => x.count)).toEqual([3]);
  });

  it('is left to the leading node: one that stood down rebuilds nothing and ends no alert', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2', 'e3']);
    await s.drain();
    s.leading = false;
    await s.setRules([cluster(V1.replace('gte: 3', 'gte: 4'), 2)]);
    await s.drain();
    expect((await alerts()).map((a) => a.conditionActive)).toEqual([true]);
  });

  it('after a resume with nothing since the snapshot, is rebuilt from the events that snapshot holds', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2', 'e3']);
    await a.snapshot();
    await a.drain();
    const b = node([cluster(V1, 1)]);
    expect(await b.resume()).toBe(0);
    await b.setRules([cluster(V1.replace('window: 10m', 'window: 11m'), 2)]);
    await b.drain();
    expect((await alerts()).map((x) => [x.count, x.conditionActive])).toEqual([[3, true]]);
  });

  it('on a resume, leaves the alerts changed after the snapshot to the replay (not ended, then found again as already held)', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2']);
    await a.snapshot();
    await a.drain();
    clock += 1000;
    await a.process(await store(['e3'], clock - 60_000)); // its alert made after the snapshot
    clock += 65_000;
    await a.tick();
    await a.drain();
    const b = node([cluster(V1.replace('window: 10m', 'window: 11m'), 2)]);
    expect(await b.resume()).toBe(1);
    clock += 10_000;
    await b.tick();
    await b.drain();
    expect((await alerts()).map((x) => [x.count, x.conditionActive])).toEqual([[3, true]]);
  });

  it('on a resume, ends after the replay an alert the new version does not hold, even one changed by the events the snapshot holds', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2', 'e3']); // all received within the snapshot's last seconds: listed as held by it
    await a.drain();
    await a.snapshot();
    await a.drain();
    const b = node([cluster(V1.replace('gte: 3', 'gte: 4'), 2)]);
    expect(await b.resume()).toBe(0);
    await b.drain();
    expect((await alerts()).map((x) => [x.count, x.conditionActive, x.explanation.kind])).toEqual([[3, false, 'rule-changed']]);
  });

  const MATCH = 'id: cluster\ntitle: T\nseverity: high\nkind: match\nwhere: { type: "incident.*" }\n';

  it('of another kind ends the alerts of the kind before on a start without a snapshot (no watermark yet)', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2', 'e3']);
    await a.drain();
    const b = node([cluster(MATCH, 2)]);
    expect(await b.resume()).toBe(0);
    await b.drain();
    expect((await alerts()).map((x) => [x.key, x.conditionActive, x.explanation.kind])).toEqual([['z', false, 'rule-kind-changed']]);
  });

  it('of another kind ends the alerts of the kind before, live and on a resume, and not the new kind\'s own', async () => {
    const s = node([cluster(V1, 1)]);
    await evaluated(s, ['e1', 'e2', 'e3']);
    await s.drain();
    await s.setRules([cluster(MATCH, 2)]);
    await s.drain();
    expect((await alerts()).map((a) => [a.key, a.conditionActive, a.explanation.kind])).toEqual([['z', false, 'rule-kind-changed']]);
    await evaluated(s, ['e4']);
    await s.drain();
    await s.snapshot();
    await s.drain();
    // Back to a threshold, on a node that resumes from the match version's snapshot: the match alert is ended, not the new one.
    const b = node([cluster(V1.replace('gte: 3', 'gte: 1'), 3)]);
    await b.resume();
    await b.drain();
    await evaluated(b, ['e5']);
    await b.drain();
    // The threshold's alert of version 1 goes on (its key active, its condition again), told by version 3: a later rebuild holds it.
    const list = (await alerts()).map((a) => [a.key, a.conditionActive, a.explanation.kind]);
    expect(list).toEqual(expect.arrayContaining([['z', true, 'threshold'], ['csu/e4', false, 'rule-kind-changed']]));
    expect(list).toHaveLength(2);
    await b.setRules([cluster(V1.replace('gte: 3', 'gte: 1').replace('window: 10m', 'window: 11m'), 4)]);
    await b.drain();
    expect((await alerts()).filter((a) => a.conditionActive).map((a) => a.key)).toEqual(['z']);
  });

  it('counts an upload as live processing did: not its events stamped before the live horizon of their upload', async () => {
    const W = V1.replace('window: 10m', 'window: 3h');
    const s = node([cluster(W, 1)]);
    const old = await store(['i1', 'i2'], clock - 2 * 3_600_000);
    await markImport(t.db, old);
    await s.process(old, { imported: true });
    await evaluated(s, ['e1']);
    await s.setRules([cluster(W.replace('window: 3h', 'window: 181m'), 2)]);
    await s.drain();
    expect(await alerts()).toEqual([]);
  });

  it('fails the resume when the stored events cannot be read, to be tried again (not left empty)', async () => {
    const a = node([cluster(V1, 1)]);
    await evaluated(a, ['e1', 'e2']);
    await a.snapshot();
    await a.drain();
    // The database fails to give the stored events (and only them).
    const failing = new Proxy(t.db, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (prop === 'query') return (sql: string, params?: unknown[]) => (sql.includes('body::text') ? Promise.reject(new Error('connection lost')) : target.query(sql, params));
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as SqlClient;
    const b = new EngineService(failing, new AlertService(t.db, NO_PUBLISHER, now), log, 'n2', [ZONE], [cluster(V1.replace('gte: 3', 'gte: 2'), 2)], 'Europe/Paris', now, 60_000);
    await expect(b.resume()).rejects.toThrow('connection lost');
  });

  it('does not raise again a silence whose alert an operator closed during it, and says one that holds now', async () => {
    const s = node([cluster(QUIET, 1)]);
    const from = async (source: string, id: string) => s.process((await insertEvents(t.db, [{ event: { id, source, type: 'x.y', time: new Date(clock).toISOString(), receivedAt: now().toISOString() }, hash: id }])).inserted);
    await from('csu', 'c1');
    await from('pompiers', 'p1');
    for (let i = 0; i < 4; i++) { clock += 5 * 60_000; await from('rtm', `r${i}`); await s.tick(); }
    await s.drain();
    expect((await alerts()).map((a) => a.key).sort()).toEqual(['csu', 'pompiers']);
    // An operator closes csu's alert; pompiers' is left open.
    await t.db.query("UPDATE alerts SET status = 'resolved', closed_at = $1 WHERE key = 'csu'", [now().toISOString()]);
    clock += 60_000;
    await s.setRules([cluster(QUIET.replace('for: 10m', 'for: 12m'), 2)]);
    await s.drain();
    expect((await alerts()).map((a) => [a.key, a.status]).sort()).toEqual([['csu', 'resolved'], ['pompiers', 'open']]);
  });

  it('a new absence rule finds silent a source gone quiet before its span, from its last live event before it', async () => {
    const s = node([CLUSTER]);
    const event = (source: string, id: string, at: number) => ({ id, source, type: 'x.y', time: new Date(at).toISOString(), receivedAt: new Date(at).toISOString() });
    const start = clock;
    await s.process((await insertEvents(t.db, [{ event: event('csu', 'c1', start), hash: 'c1' }])).inserted);
    // An upload of csu's, later: not csu speaking.
    await insertEvents(t.db, [{ event: event('csu', 'u1', start + 30 * 60_000), hash: 'u1' }], { imported: true });
    for (let i = 0; i < 12; i++) {
      clock += 5 * 60_000;
      await s.process((await insertEvents(t.db, [{ event: event('rtm', `r${i}`, clock), hash: `r${i}` }])).inserted);
    }
    await s.tick();
    await flushFeedMinutes(t.db);
    // Published an hour after csu's last word: its lookback (twice 10 min) holds nothing of csu's.
    await s.setRules([CLUSTER, cluster(QUIET, 1)]);
    await s.drain();
    const [silence] = await alerts();
    expect(silence).toMatchObject({ ruleId: 'quiet', key: 'csu', conditionActive: true });
    expect(silence!.evidence.map((e) => e.id)).toEqual(['c1']);
  });

  it('takes a replayed dead letter\'s events as an upload: an old event does not end a silence', async () => {
    const s = node([cluster(QUIET, 1)]);
    const event = (source: string, id: string, at: number) => ({ id, source, type: 'x.y', time: new Date(at).toISOString(), receivedAt: now().toISOString() });
    const start = clock;
    await s.process((await insertEvents(t.db, [{ event: event('csu', 'c1', clock), hash: 'c1' }])).inserted);
    for (let i = 0; i < 4; i++) { clock += 5 * 60_000; await s.process((await insertEvents(t.db, [{ event: event('rtm', `r${i}`, clock), hash: `r${i}` }])).inserted); await s.tick(); }
    await s.drain();
    expect((await alerts()).map((a) => [a.key, a.conditionActive])).toEqual([['csu', true]]);
    // csu's refused message of before its silence, replayed by an admin after a fix.
    await s.process((await insertEvents(t.db, [{ event: event('csu', 'c0', start + 60_000), hash: 'c0' }], { replayed: true })).inserted, { replayed: true });
    await s.tick();
    await s.drain();
    expect((await alerts()).map((a) => [a.key, a.conditionActive])).toEqual([['csu', true]]);
    await s.snapshot();
    await s.drain();
    // Another one replayed after the snapshot, then a restart: the resume's replay takes it as an upload too.
    clock += 1000;
    await insertEvents(t.db, [{ event: event('csu', 'c00', start + 2 * 60_000), hash: 'c00' }], { replayed: true });
    const b = node([cluster(QUIET, 1)]);
    expect(await b.resume()).toBe(1);
    await b.tick();
    await b.drain();
    // Not ended by it (then found silent again): the silence goes on, untouched.
    expect((await alerts()).map((a) => [a.key, a.conditionActive, a.history.map((h) => h.action)])).toEqual([['csu', true, ['fired']]]);
  });
});

