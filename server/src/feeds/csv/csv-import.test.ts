import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRule, parseRule, type CompiledRule } from '@vigie/rules';
import { AlertService } from '../../alerts/alert-service.ts';
import { EngineService } from '../../engine/engine-service.ts';
import { loadRulesDir, STOCK_RULES_DIR } from '../../engine/rule-files.ts';
import { FeedIngest } from '../../ingest/feed-ingest.ts';
import { IngestPipeline } from '../../ingest/pipeline.ts';
import { Pseudonymiser } from '../../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../../ingest/rate-limit.ts';
import { Sealer } from '../../ingest/seal.ts';
import { NO_PUBLISHER } from '../../live/publisher.ts';
import { createLogger } from '../../logger.ts';
import { listAlerts } from '../../storage/alerts-repo.ts';
import { timeNoticesLastHour } from '../../storage/time-notices-repo.ts';
import { upsertZones } from '../../storage/zones-repo.ts';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import { feedHealth } from '../health.ts';

/**
 * A one-off CSV upload (the console's import, `?import=true`) through the whole node: the
 * ingest, the rules engine as a node wires it, and feed health. An upload is listed, never
 * late or silent, and raises no live alert from its history nor from the absence rules.
 */
const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000, HOUR = 60 * MIN, DAY = 24 * HOUR;
const ZONE = { id: 'z', name: 'Z', kind: 'sector', tags: [], geometry: { type: 'Polygon' as const, coordinates: [[[5.3, 43.2], [5.5, 43.2], [5.5, 43.4], [5.3, 43.4], [5.3, 43.2]] as [number, number][]] } };
const CLUSTER = compileRule((parseRule('id: cluster\ntitle: "Rixes {key}"\nseverity: high\nkind: threshold\nwhere: { type: "incident.fight" }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n') as { ok: true; rule: never }).rule);

let t: TestDatabase;
let clock = T0;
const now = () => new Date(clock);
const sender = { name: 'supervisor', sources: null };
let feeds: FeedIngest;
let engine: EngineService;

/** A node's ingest and engine on a fresh database, with these rules. */
async function node(rules: CompiledRule[]) {
  const ps = new Pseudonymiser('csv-import-test-key-0123456789', 'k1');
  const pipeline = new IngestPipeline(t.db, ps, now);
  feeds = new FeedIngest({ db: t.db, pipeline, sealer: new Sealer(ps.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now, timeZone: 'Europe/Paris', onZones: async () => {} });
  engine = new EngineService(t.db, new AlertService(t.db, NO_PUBLISHER, now), createLogger('silent'), 'n1', [ZONE], rules, 'Europe/Paris', now, 120_000);
  // As vigie.ts wires them.
  pipeline.onStored((events, how) => void engine.process(events, how));
}

beforeEach(async () => {
  clock = T0;
  t = await memoryDatabase();
  await upsertZones(t.db, [ZONE]);
});
afterEach(async () => { await t.drop(); });

/** The main courante's CSV: one row per [id, nature, time (ms)]. */
const csv = (rows: [string, string, number][]) =>
  Buffer.from(['numero;nature;horodatage;latitude;longitude', ...rows.map(([id, nature, at]) => `${id};${nature};${new Date(at).toISOString()};43.3;5.4`)].join('\n'));

async function upload(source: string, rows: [string, string, number][]) {
  const a = await feeds.receive({ format: 'csv', source, body: csv(rows), sender, contentType: 'text/csv', imported: true });
  expect(a.status).toBe(202);
  return a.body;
}

/** A live feed's message (the same CSV format, pushed by a feed, not uploaded). */
async function live(source: string, rows: [string, string, number][]) {
  const a = await feeds.receive({ format: 'csv', source, body: csv(rows), sender, contentType: 'text/csv' });
  expect(a.status).toBe(202);
}

const health = async () => new Map((await feedHealth(t.db, now())).map((f) => [f.source, f]));
const later = async (ms: number) => {
  clock += ms;
  await engine.tick();
  await engine.drain();
};

describe('a one-off CSV import', () => {
  it('is listed by feed health as imported 40 minutes later, with its time and events, where a live feed is late then silent and a mixed source is judged on its live messages', async () => {
    await node([]);
    // Two live messages a minute apart: a rhythm to be late by (a source heard from once has none yet).
    clock -= MIN;
    await live('bus', [['b0', 'vol', T0 - 2 * MIN]]);
    await live('mixed', [['m0', 'vol', T0 - 2 * MIN]]);
    clock += MIN;
    await live('bus', [['b1', 'vol', T0 - MIN]]);
    await live('mixed', [['m1', 'vol', T0 - MIN]]);
    await upload('cctv', [['1', 'vol', T0 - 30 * DAY], ['2', 'rixe', T0 - 29 * DAY], ['3', 'tapage', T0 - 2 * HOUR]]);
    clock += 10 * MIN;
    expect((await health()).get('bus')!.status).toBe('late');
    await upload('mixed', [['m-old', 'vol', T0 - 3 * DAY]]); // an upload does not make a live feed look alive
    clock += 30 * MIN;
    const h = await health();
    expect(h.get('cctv')).toMatchObject({ status: 'imported', lastImportAt: new Date(T0).toISOString(), importedLastDay: 3, lastReceivedAt: null, eventsLastHour: 0, lateLastHour: 0, errorRate: 0 });
    expect(h.get('bus')).toMatchObject({ status: 'silent', lastImportAt: null, importedLastDay: 0 });
    expect(h.get('mixed')).toMatchObject({ status: 'silent', lastReceivedAt: new Date(T0).toISOString(), lastImportAt: new Date(T0 + 10 * MIN).toISOString(), importedLastDay: 1 });
    // A day on, the upload is no longer listed.
    clock += DAY;
    expect((await health()).has('cctv')).toBe(false);
  });

  it('raises no alert from the stock absence rules for an import-only source, nor a late count; a live feed that stops still raises one', async () => {
    const stock = (await loadRulesDir(STOCK_RULES_DIR)).rules.filter((r) => r.id === 'feed-unusually-quiet' || r.id === 'feed-silent');
    expect(stock).toHaveLength(2);
    await node([...stock, CLUSTER]);
    // Four weeks of history, one incident every 20 minutes: the CCTV log uploaded, the city's live feed as it came.
    const weeks = Array.from({ length: 4 * 7 * 72 }, (_, i) => T0 - 28 * DAY + i * 20 * MIN);
    await upload('cctv', weeks.map((at, i) => [`h${i}`, 'vol', at]));
    for (let i = 0; i < weeks.length; i += 500) await live('city', weeks.slice(i, i + 500).map((at, j) => [`c${i + j}`, 'vol', at]));
    await engine.drain();
    await engine.refreshBaselines();
    expect(engine.ruleStatus().find((r) => r.ruleId === 'feed-unusually-quiet')!.state).toBe('running');
    // Today's log, once more, and a live message.
    await upload('cctv', [['today', 'vol', T0 - 5 * MIN]]);
    await live('city', [['now', 'vol', T0]]);
    for (let i = 0; i < 60; i++) await later(5 * MIN); // five hours of ticks
    const quiet = (await listAlerts(t.db, { limit: 100 })).filter((a) => a.ruleId === 'feed-unusually-quiet');
    expect(quiet.map((a) => a.key)).toEqual(['city']);
    await engine.flushNotices();
    expect((await timeNoticesLastHour(t.db, now())).has('cctv')).toBe(false);
    expect((await health()).get('cctv')!.status).toBe('imported');
  });

  it('feeds its recent events to the rules as late events (a cluster of the last minutes), never last month\'s nor last evening\'s', async () => {
    await node([CLUSTER]);
    await live('city', [['c1', 'vol', T0]]);
    await upload('cctv', [['old1', 'rixe', T0 - 30 * DAY], ['old2', 'rixe', T0 - 30 * DAY + MIN], ['old3', 'rixe', T0 - 30 * DAY + 2 * MIN]]);
    await later(5 * MIN);
    expect(await listAlerts(t.db, { limit: 10 })).toEqual([]);
    // Older than the rule's window behind the engine's watermark: in no window, as a late live event would be.
    await upload('cctv', [['e1', 'rixe', clock - 40 * MIN], ['e2', 'rixe', clock - 38 * MIN], ['e3', 'rixe', clock - 36 * MIN]]);
    await later(5 * MIN);
    expect(await listAlerts(t.db, { limit: 10 })).toEqual([]);
    await upload('cctv', [['r1', 'rixe', clock - 7 * MIN], ['r2', 'rixe', clock - 6 * MIN], ['r3', 'rixe', clock - 5 * MIN]]);
    await later(5 * MIN);
    const list = await listAlerts(t.db, { limit: 10 });
    expect(list.map((a) => [a.ruleId, a.count])).toEqual([['cluster', 3]]);
    expect(list[0]!.evidence.map((e) => e.id).sort()).toEqual(['r1', 'r2', 'r3']);
  });

  it('is still told from live messages when the engine resumes from its snapshot after a restart', async () => {
    const stock = (await loadRulesDir(STOCK_RULES_DIR)).rules.filter((r) => r.id === 'feed-unusually-quiet' || r.id === 'feed-silent');
    const silent = compileRule((parseRule('id: any-silent\ntitle: "Silence {key}"\nseverity: low\nkind: absence\ngroupBy: source\nfor: 20m\n') as { ok: true; rule: never }).rule);
    await node([...stock, silent]);
    await live('city', [['c1', 'vol', T0]]);
    await engine.drain();
    await engine.snapshot();
    await engine.drain();
    clock += 1000;
    // Stored after the snapshot, the node stopping before its engine saw it.
    engine = new EngineService(t.db, new AlertService(t.db, NO_PUBLISHER, now), createLogger('silent'), 'n0', [ZONE], [], 'Europe/Paris', now, 120_000);
    await upload('cctv', [['u1', 'vol', T0 - 3 * MIN]]);
    await live('city', [['c2', 'vol', T0 + 1000]]);
    const restarted = new EngineService(t.db, new AlertService(t.db, NO_PUBLISHER, now), createLogger('silent'), 'n1', [ZONE], [...stock, silent], 'Europe/Paris', now, 120_000);
    expect(await restarted.resume()).toBe(2);
    engine = restarted;
    for (let i = 0; i < 12; i++) await later(5 * MIN);
    expect((await listAlerts(t.db, { limit: 10 })).map((a) => [a.ruleId, a.key])).toEqual([['any-silent', 'city']]);
  });
});
