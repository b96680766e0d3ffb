import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripNul } from '../feeds/adapter.ts';
import { parseCityGeocodes } from '../feeds/cap/city-area.ts';
import { upsertZones } from '../storage/zones-repo.ts';
import { createLogger } from '../logger.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { FeedIngest, MAX_FEED_BYTES, needsStrip, withoutExcerpts } from './feed-ingest.ts';
import { IngestPipeline } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';
import { FeedRateLimiter } from './rate-limit.ts';
import { Sealer } from './seal.ts';

describe('decoded items are copied only when stripNul would change them', () => {
  it('an item needsStrip does not flag comes out of stripNul equal', () => {
    const nul = fc.string({ maxLength: 6 }).map((s) => `${s}\u0000`);
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.string(), nul, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date(), tie('obj'), tie('arr')),
      obj: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), nul), tie('any'), { maxKeys: 4 }),
      arr: fc.array(tie('any'), { maxLength: 4 }),
    })).any;
    let flagged = 0;
    fc.assert(fc.property(fc.oneof(value, fc.anything()), (v) => {
      if (needsStrip(v)) { flagged++; return; }
      expect(stripNul(v)).toStrictEqual(v);
    }), { numRuns: 10_000 });
    expect(flagged).toBeGreaterThan(100);
    expect(needsStrip({ a: [1, { b: 'x\u0000' }] })).toBe(true);
    expect(needsStrip({ ['k\u0000']: 1 })).toBe(true);
    expect(needsStrip({ a: new Date(0) })).toBe(true);
    expect(needsStrip({ id: 'a', location: { lat: 1, lon: 2 }, attributes: { x: true } })).toBe(false);
  });
});

describe('FeedIngest and personal data', () => {
  let tdb: TestDatabase;
  let feeds: FeedIngest;
  const NOW = new Date('2026-11-28T21:30:00Z');
  const SENDER = { name: 'test', sources: null };
  beforeAll(async () => {
    tdb = await memoryDatabase();
    const p = new Pseudonymiser('feed-ingest-test-key-0123456789', 'k1');
    feeds = new FeedIngest({ db: tdb.db, pipeline: new IngestPipeline(tdb.db, p, () => NOW), sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now: () => NOW, timeZone: 'Europe/Paris', onZones: async () => {} });
  });
  afterAll(async () => { await tdb?.drop(); });

  it('a SIRI situation stored before its stop was named and placed is a duplicate when it comes back with them, not a conflict', async () => {
    const plain = readFileSync(new URL('../feeds/samples/siri-sx-gm.xml', import.meta.url), 'utf8');
    const placed = plain.replace('<StopPointRef>RTM:StopPoint:Q:CASTELLANE:LOC</StopPointRef>',
      '<StopPointRef>RTM:StopPoint:Q:CASTELLANE:LOC</StopPointRef><StopPointName>Castellane</StopPointName><Location><Longitude>5.3831</Longitude><Latitude>43.2857</Latitude></Location>');
    const first = await feeds.receive({ format: 'siri', source: 'rtm-sx', body: Buffer.from(plain), sender: SENDER });
    expect(first.body).toMatchObject({ accepted: 2 });
    const again = await feeds.receive({ format: 'siri', source: 'rtm-sx', body: Buffer.from(placed), sender: SENDER });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((again.body as { rejected: { error: { code: string } }[] }).rejected.map((r) => r.error.code)).not.toContain('VIGIE_EVENT_CONFLICT');
  });

  it('the CCTV centre\'s export with its French personal columns stores pseudonyms, never the values', async () => {
    const csv = 'numero;horodatage;nature;latitude;longitude;nom;telephone;immatriculation;observations\n'
      + 'MC-1;2026-11-28T21:14:00+01:00;Agression;43.2986;5.3772;Jean Dupont;06 12 34 56 78;AB-123-CD;Témoin joignable au 06 98 76 54 32\n';
    const answer = await feeds.receive({ format: 'csv', source: 'csu-personal', body: Buffer.from(csv), sender: SENDER });
    expect(answer.status).toBe(202);
    const [row] = await tdb.db.query<{ body: string }>("SELECT body::text AS body FROM events WHERE source = 'csu-personal'");
    for (const raw of ['Dupont', '12 34 56 78', 'AB-123-CD', '98 76 54 32']) expect(row!.body).not.toContain(raw);
    expect(row!.body).toMatch(/"nom": ?"ps:k1:/);
  });

  it('a broker\'s or poller\'s message may be larger than an HTTP push; one refused as a whole is kept as a dead letter, not dropped', async () => {
    const label = 'x'.repeat(900);
    const big = Buffer.from(encodeFeedMessage({
      header: { gtfsRealtimeVersion: '2.0', timestamp: NOW.getTime() / 1000 },
      entity: Array.from({ length: 1300 }, (_, k) => ({ id: `e${k}`, vehicle: { vehicle: { id: `V${k}`, label }, timestamp: NOW.getTime() / 1000, position: { latitude: 43.3, longitude: 5.37 } } })),
    }));
    expect(big.length).toBeGreaterThan(MAX_FEED_BYTES);
    const pushed = await feeds.receive({ format: 'gtfs-rt', source: 'big-feed', body: big, sender: SENDER });
    expect(pushed.status).toBe(413); // an HTTP client is told
    const pulled = await feeds.receive({ format: 'gtfs-rt', source: 'big-feed', body: big, sender: SENDER, unattended: true });
    expect(pulled).toMatchObject({ status: 202, body: { accepted: 1300 } });
    const wrong = await feeds.receive({ format: 'gtfs-rt', source: 'Not A Source', body: big.subarray(0, 100), sender: SENDER, unattended: true });
    expect(wrong.status).toBe(400);
    const letters = await tdb.db.query<{ code: string; id: number }>("SELECT id, code FROM dead_letters WHERE source = 'Not A Source'");
    expect(letters).toEqual([{ id: wrong.deadLetter, code: 'VIGIE_VALIDATION' }]);
    // The same refused payload again (a poll of a feed that does not change, a wrong mapping) is not stored again.
    const again = await feeds.receive({ format: 'gtfs-rt', source: 'Not A Source', body: big.subarray(0, 100), sender: SENDER, unattended: true });
    expect(again.status).toBe(400);
    expect(again.deadLetter).toBeUndefined();
    expect(await tdb.db.query("SELECT id FROM dead_letters WHERE source = 'Not A Source'")).toHaveLength(1);
    expect(feeds.refusedNotKept).toBe(1);
  });

  it('a broker\'s payload that cannot be read is kept once, not again and again: the same one repeated is counted, not stored', async () => {
    const before = feeds.refusedNotKept;
    const body = Buffer.from('not json at all');
    const first = await feeds.receive({ format: 'events', source: 'mqtt-wrong', body, sender: SENDER, unattended: true });
    expect(first.status).toBe(400);
    expect(first.deadLetter).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await feeds.receive({ format: 'events', source: 'mqtt-wrong', body, sender: SENDER, unattended: true })).deadLetter).toBeUndefined();
    expect(await tdb.db.query("SELECT id FROM dead_letters WHERE source = 'mqtt-wrong'")).toHaveLength(1);
    expect(feeds.refusedNotKept - before).toBe(5);
  });

  it('a dead letter\'s reason keeps no excerpt of the payload (the payload itself is sealed)', async () => {
    const body = Buffer.from('{"data": [ Jean Dupont, 06 12 34 56 78');
    const answer = await feeds.receive({ format: 'ngsi-ld', source: 'fiware-personal', body, sender: SENDER });
    expect(answer.status).toBe(400);
    const [letter] = await tdb.db.query<{ reason: string }>("SELECT reason FROM dead_letters WHERE source = 'fiware-personal'");
    expect(letter!.reason).not.toMatch(/Jean|Dupont|12 34/);
    expect(withoutExcerpts(`Unexpected token 'J', "Jean Dupon"... is not valid JSON`)).toBe(`Unexpected token 'J', … is not valid JSON`);
    expect(withoutExcerpts('unknown entity type "Jean Dupont"')).toBe('unknown entity type "…"');
    expect(withoutExcerpts('text: expected string, got 612345678')).toBe('text: expected string, got …');
  });

  it('the items POST /api/v1/events refused are kept as a dead letter of canonical events, and a replay after a fix stores them', async () => {
    const ok = { id: 'ev-1', source: 'csu-refused', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00' };
    const items = [ok, { ...ok, id: 'ev-2', extra: 1 }, { ...ok, id: 'ev-3' }, { ...ok, id: 'ev-4', source: 'other' }];
    // ev-3 stands for an item a since-fixed check refused; ev-4 for one the token may not send.
    const rejected = [
      { index: 1, error: { code: 'VIGIE_VALIDATION' as const, field: 'extra', message: 'extra: unknown field' } },
      { index: 2, error: { code: 'VIGIE_VALIDATION' as const, field: 'time', message: 'time: refused by a bug' } },
      { index: 3, error: { code: 'VIGIE_TOKEN_FORBIDDEN' as const, field: 'source', message: 'source: not this token\'s' } },
    ];
    const id = (await feeds.keepRefusedItems(items, rejected, { name: 'feed:csu', sources: ['csu-refused'] }))!;
    const [letter] = await tdb.db.query<{ format: string; source: string; code: string; reason: string; rejected: unknown }>('SELECT format, source, code, reason, rejected FROM dead_letters WHERE id = $1', [id]);
    expect(letter).toEqual({ format: 'events', source: 'csu-refused', code: 'VIGIE_EVENT_INVALID', reason: '2 item(s) refused: extra: unknown field',
      rejected: [{ index: 0, error: rejected[0]!.error }, { index: 1, error: rejected[1]!.error }] });
    const replay = await feeds.replay(id);
    expect(replay).toMatchObject({ status: 202, body: { accepted: 1, rejected: [{ index: 0, error: { field: 'extra' } }] } });
    expect(await tdb.db.query("SELECT id FROM events WHERE source = 'csu-refused'")).toEqual([{ id: 'ev-3' }]);
    // Only a token's refusals: nothing to fix, nothing kept; items of several sources: no source.
    expect(await feeds.keepRefusedItems(items, [rejected[2]!], SENDER)).toBeUndefined();
    const mixed = (await feeds.keepRefusedItems(items, [rejected[0]!, { ...rejected[1]!, index: 3 }], SENDER))!;
    expect(await tdb.db.query('SELECT source FROM dead_letters WHERE id = $1', [mixed])).toEqual([{ source: null }]);
    expect((await feeds.replay(mixed)).status).toBe(202);
  });

  it('an item refused for text the database cannot hold is kept too: its reason names the field as the database can store it', async () => {
    const items = [{ id: 'ev-s1', source: 'csu-refused', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00', attributes: { 'a\ud800': 'x', b: 'nul\u0000' } }];
    const rejected = [{ index: 0, error: { code: 'VIGIE_VALIDATION' as const, field: 'attributes.a\ud800', message: 'attributes.a\ud800: contains half of a UTF-16 surrogate pair\u0000' } }];
    const id = await feeds.keepRefusedItems(items, rejected, { name: 'feed:csu', sources: ['csu-refused'] });
    expect(id).toBeTypeOf('number');
    const [letter] = await tdb.db.query<{ reason: string; rejected: { error: { field: string } }[] }>('SELECT reason, rejected FROM dead_letters WHERE id = $1', [id]);
    expect(letter!.rejected[0]!.error.field).toBe('attributes.a\ufffd');
    expect(letter!.reason).not.toContain('\u0000');
  });

  it('canonical events are a format: an item without a source takes the message\'s', async () => {
    const body = Buffer.from(JSON.stringify([{ id: 'm-1', type: 'crowd.report', time: '2026-11-28T21:00:00Z' }, { id: 'm-2', source: 'csu-own', type: 'crowd.report', time: '2026-11-28T21:00:00Z' }]));
    expect(await feeds.receive({ format: 'events', source: 'mqtt-canon', body, sender: SENDER })).toMatchObject({ status: 202, body: { accepted: 2 } });
    expect(await tdb.db.query("SELECT source, id FROM events WHERE id IN ('m-1', 'm-2') ORDER BY id")).toEqual([{ source: 'mqtt-canon', id: 'm-1' }, { source: 'csu-own', id: 'm-2' }]);
    expect(await feeds.receive({ format: 'events', source: 'mqtt-canon', body: Buffer.from('{"id": '), sender: SENDER })).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED' } } });
    expect(await feeds.receive({ format: 'events', source: 'mqtt-canon', body: Buffer.from('3'), sender: SENDER })).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED' } } });
  });
});

describe('FeedIngest and a message tried again', () => {
  it('a CAP warning over the city, tried again after its zones could not be told, is stored once with its zone', async () => {
    const tdb = await memoryDatabase();
    try {
      await upsertZones(tdb.db, [{ id: 'q1', name: 'Q1', kind: 'quartier', tags: [], geometry: { type: 'Polygon', coordinates: [[[5.3, 43.2], [5.5, 43.2], [5.5, 43.4], [5.3, 43.4], [5.3, 43.2]]] } }]);
      let told = 0;
      const feeds = new FeedIngest({
        db: tdb.db, pipeline: new IngestPipeline(tdb.db, new Pseudonymiser('retry-test-key-0123456789abcdef', 'k1'), () => new Date('2026-11-28T20:00:00Z')),
        sealer: new Sealer(new Pseudonymiser('retry-test-key-0123456789abcdef', 'k1').keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'),
        now: () => new Date('2026-11-28T20:00:00Z'), timeZone: 'Europe/Paris', cityGeocodes: parseCityGeocodes('13'),
        onZones: async () => { if (told++ === 0) throw new Error('the live server is away'); },
      });
      const xml = readFileSync(new URL('../feeds/samples/cap-meteo-orages.xml', import.meta.url), 'utf8');
      const areas = xml.slice(xml.indexOf('<area>'), xml.lastIndexOf('</area>') + 7);
      const body = Buffer.from(xml.replace(areas, '<area><areaDesc>Bouches-du-Rhône</areaDesc><geocode><valueName>departement</valueName><value>13</value></geocode></area>'));
      // As the MQTT bridge does: checked once, received, and received again after a failure.
      const m = { format: 'cap', source: 'meteo', body, sender: { name: 'mqtt', sources: null }, unattended: true };
      const checked = feeds.precheck(m);
      await expect(feeds.receiveChecked(m, checked)).rejects.toThrow('the live server is away');
      expect((await feeds.receiveChecked(m, checked)).status).toBe(202);
      expect((await tdb.db.query<{ id: string }>("SELECT id FROM zones WHERE kind = 'warning'")).map((z) => z.id)).toEqual([expect.stringMatching(/^cap-meteo-.*#0-0$/)]);
    } finally {
      await tdb.drop();
    }
  });
});
