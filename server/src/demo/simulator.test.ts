import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitOpen311Form } from '../feeds/open311/open311-in.ts';
import { FeedIngest } from '../ingest/feed-ingest.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { Pseudonymiser } from '../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../ingest/rate-limit.ts';
import { Sealer } from '../ingest/seal.ts';
import { createLogger } from '../logger.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { Simulator } from './simulator.ts';

let tdb: TestDatabase;
beforeAll(async () => { tdb = await memoryDatabase(); });
afterAll(async () => { await tdb?.drop(); });

describe('Simulator', () => {
  it('emits every feed in its real format through the same adapters, and none is refused', async () => {
    let clock = Date.parse('2026-11-28T20:00:00Z');
    const now = () => new Date(clock);
    const p = new Pseudonymiser('simulator-test-key-0123456789', 'k1');
    const pipeline = new IngestPipeline(tdb.db, p, now);
    let zoneChanges = 0;
    const feeds = new FeedIngest({ db: tdb.db, pipeline, sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now, timeZone: 'Europe/Paris', onZones: async () => { zoneChanges++; } });
    const formats = new Map<string, number>();
    const answers: number[] = [];
    const sim = new Simulator({
      now, seed: 7, backgroundRate: 1, signalEvery: 10, warningEvery: 30,
      emit: (events) => pipeline.ingest(events, { name: 'simulator', sources: null }),
      feeds: {
        emit: async (format, source, body) => {
          formats.set(format, (formats.get(format) ?? 0) + 1);
          const a = await feeds.receive({ format, source, body, sender: { name: 'simulator', sources: null } });
          answers.push(a.status);
          return a;
        },
        open311: async (form, at) => {
          formats.set('open311', (formats.get('open311') ?? 0) + 1);
          const o = await submitOpen311Form(pipeline, form, { name: 'simulator', sources: null }, at);
          answers.push(o.ok ? 202 : 400);
          return o;
        },
      },
    });
    for (let s = 0; s < 60; s++) { await sim.step(); clock += 1000; }

    expect([...formats.keys()].sort()).toEqual(['cap', 'csv', 'gtfs-rt', 'ngsi-ld', 'open311', 'siri', 'siri-lite']);
    // The prefecture's warnings (at 1 s, 30 s): the second replaces the first's area.
    expect(formats.get('cap')).toBe(2);
    expect(zoneChanges).toBe(2);
    const areas = await tdb.db.query<{ name: string; expires_at: unknown }>("SELECT name, expires_at FROM zones WHERE kind = 'warning'");
    expect(areas.map((a) => a.name)).toEqual(['Vigilance orange orages · Centre-ville']);
    expect(new Date(String(areas[0]!.expires_at)).getTime()).toBe(Date.parse('2026-11-28T20:01:07Z')); // 30 s × 1.25 after it was sent, to the second
    expect(answers.every((s) => s === 202)).toBe(true);
    expect(await tdb.db.query('SELECT id FROM dead_letters')).toEqual([]);
    const rows = await tdb.db.query<{ source: string; type: string; n: number }>('SELECT source, type, count(*)::int AS n FROM events GROUP BY source, type ORDER BY source, type');
    const has = (source: string, type: string) => rows.some((r) => r.source === source && r.type === type);
    expect(has('rtm', 'transport.vehicle.position')).toBe(true);
    expect(has('rtm', 'transport.incident')).toBe(true); // SIRI SX
    expect(has('rtm', 'transport.message')).toBe(true); // SIRI Lite GeneralMessage
    expect(has('rtm', 'transport.alert')).toBe(true); // GTFS-RT Alerts
    expect(has('eclairage', 'lighting.fault')).toBe(true); // NGSI-LD Streetlight
    expect(has('open311', 'citizen.report') || has('open311', 'citizen.noise')).toBe(true);
    // A citizen's name and phone number, given in an Open311 request, are stored only as pseudonyms.
    const named = await tdb.db.query<{ body: { attributes: Record<string, unknown> } }>("SELECT body FROM events WHERE source = 'open311'");
    const personal = named.filter((r) => r.body.attributes.phone !== undefined);
    expect(personal.length).toBeGreaterThan(0);
    for (const r of personal) for (const f of ['phone', 'firstName']) expect(String(r.body.attributes[f])).toMatch(/^ps:k1:/);
    expect(has('csu', 'incident.assault')).toBe(true); // main courante CSV
    const [assault] = await tdb.db.query<{ body: { attributes: Record<string, unknown>; text: string } }>("SELECT body FROM events WHERE source = 'csu' AND type = 'incident.assault' LIMIT 1");
    expect(assault!.body.attributes.injured).toBe(1); // numbers stay numbers through CSV, so the rules still match
    expect(String(assault!.body.attributes.victimname)).toMatch(/^ps:k1:/);
    expect(assault!.body.text).not.toContain('AB-123-CD');
  });
});
