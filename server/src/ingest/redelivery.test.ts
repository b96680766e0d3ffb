import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { feedHealth } from '../feeds/health.ts';
import { ngsiLdAdapter } from '../feeds/ngsi-ld/ngsi-ld-adapter.ts';
import { createLogger } from '../logger.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { FeedIngest, type FeedMessage } from './feed-ingest.ts';
import { IngestPipeline } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';
import { FeedRateLimiter } from './rate-limit.ts';
import { Sealer } from './seal.ts';

// A feed sends the same thing again (a poll of an unchanged snapshot, a notification repeated,
// the same event with its time written another way): a duplicate, never a conflict that
// refuses it nor a second event that a threshold rule would count twice.

let tdb: TestDatabase;
let now = new Date('2026-11-28T21:30:00Z');
let feeds: FeedIngest, pipeline: IngestPipeline;
const SENDER = { name: 'test', sources: null };
beforeAll(async () => {
  tdb = await memoryDatabase();
  const p = new Pseudonymiser('redelivery-test-key-0123456789', 'k1');
  pipeline = new IngestPipeline(tdb.db, p, () => now);
  feeds = new FeedIngest({ db: tdb.db, pipeline, sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now: () => now, timeZone: 'Europe/Paris', onZones: async () => {} });
});
afterAll(async () => { await tdb?.drop(); });

const later = (minutes: number) => { now = new Date(now.getTime() + minutes * 60_000); };
const stored = async (source: string) => (await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE source = $1', [source]))[0]!.n;
/** Sends a message twice, `minutes` apart (the arrival, and the message's own send time if `at` uses it, change). */
async function twice(m: (sentAt: Date) => Omit<FeedMessage, 'sender'>, minutes = 5) {
  const first = await feeds.receive({ ...m(now), sender: SENDER });
  later(minutes);
  const second = await feeds.receive({ ...m(now), sender: SENDER });
  return { first: first.body as { accepted: number; duplicates: number; rejected: unknown[] }, second: second.body as { accepted: number; duplicates: number; rejected: unknown[] } };
}

describe('the same event written two ways', () => {
  it('is a duplicate when only the way its instant is written differs (offset, decimals); another instant is a conflict', async () => {
    const e = { id: 'tz-1', source: 'tz', type: 'incident.theft', location: { lat: 43.3, lon: 5.37 } };
    expect(await pipeline.ingest([{ ...e, time: '2026-11-28T21:14:05+01:00' }], SENDER)).toMatchObject({ accepted: 1 });
    expect(await pipeline.ingest([{ ...e, time: '2026-11-28T20:14:05.000Z' }], SENDER)).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    // Within one batch too.
    expect(await pipeline.ingest([{ ...e, id: 'tz-2', time: '2026-11-28T20:14:05Z' }, { ...e, id: 'tz-2', time: '2026-11-28T22:14:05+02:00' }], SENDER))
      .toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const moved = await pipeline.ingest([{ ...e, time: '2026-11-28T20:14:06Z' }], SENDER);
    expect(moved.rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_EVENT_CONFLICT', field: 'id' }) }]);
    const edited = await pipeline.ingest([{ ...e, time: '2026-11-28T20:14:05Z', severity: 4 }], SENDER);
    expect(edited.rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_EVENT_CONFLICT' }) }]);
    expect(await stored('tz')).toBe(2);
  });
});

describe('an entry without a time of its own, delivered again', () => {
  const gtfs = (source: string, entity: object[], header: { timestamp?: number } = {}) => (sentAt: Date) => ({
    format: 'gtfs-rt', source,
    body: Buffer.from(encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', ...('timestamp' in header ? header : { timestamp: sentAt.getTime() / 1000 }) }, entity })),
  });

  it('GTFS-RT: a service alert without an active period, in each new snapshot, is stored once', async () => {
    const alert = { id: 'A1', alert: { headerText: { translation: [{ text: 'Ligne 1 interrompue', language: 'fr' }] }, informedEntity: [{ routeId: 'M1' }] } };
    const { first, second } = await twice(gtfs('rtm-alerts', [alert]));
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await stored('rtm-alerts')).toBe(1);
  });

  it('GTFS-RT: with no timestamp anywhere (header nor entity), an unchanged vehicle is a duplicate and a moved one a new position', async () => {
    const at = (lat: number) => ({ id: 'v1', vehicle: { vehicle: { id: 'BUS-7' }, position: { latitude: lat, longitude: 5.37 } } });
    const { first, second } = await twice(gtfs('no-clock', [at(43.3)], { timestamp: undefined }));
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    later(1);
    expect((await feeds.receive({ ...gtfs('no-clock', [at(43.31)], { timestamp: undefined })(now), sender: SENDER })).body).toMatchObject({ accepted: 1 });
    expect(await stored('no-clock')).toBe(2);
  });

  it('SIRI: a general message without RecordedAtTime in two responses is stored once; an unreadable one is refused naming it', async () => {
    const siri = (recorded: string) => (sentAt: Date) => ({
      format: 'siri', source: 'siri-gm',
      body: Buffer.from(`<Siri xmlns="http://www.siri.org.uk/siri" version="2.0"><ServiceDelivery><ResponseTimestamp>${sentAt.toISOString()}</ResponseTimestamp>
        <GeneralMessageDelivery version="2.0"><ResponseTimestamp>${sentAt.toISOString()}</ResponseTimestamp><GeneralMessage>${recorded}
          <ItemIdentifier>1</ItemIdentifier><InfoMessageIdentifier>MSG-9</InfoMessageIdentifier><InfoChannelRef>Perturbation</InfoChannelRef>
          <ValidUntilTime>2026-11-29T23:00:00+01:00</ValidUntilTime><Content><Message><MessageText xml:lang="fr">Station fermée</MessageText></Message></Content>
        </GeneralMessage></GeneralMessageDelivery></ServiceDelivery></Siri>`),
    });
    const { first, second } = await twice(siri(''));
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const bad = await feeds.receive({ ...siri('<RecordedAtTime>hier soir</RecordedAtTime>')(now), sender: SENDER });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { details: { rejected: [{ index: 0, error: expect.objectContaining({ code: 'VIGIE_VALIDATION', field: 'RecordedAtTime', message: expect.stringContaining('hier soir') }) }] } } });
    expect(await stored('siri-gm')).toBe(1);
  });

  it('NGSI-LD: a street light notified again with no time of its own is stored once; a changed one is a new event, and so is a fault coming back', async () => {
    const lamp = (status: string, order = 0) => {
      const members: [string, unknown][] = [['id', 'urn:ngsi-ld:Streetlight:L-12'], ['type', 'Streetlight'], ['status', { type: 'Property', value: status }], ['location', { type: 'GeoProperty', value: { type: 'Point', coordinates: [5.37, 43.3] } }]];
      return Object.fromEntries(order ? members.reverse() : members);
    };
    const notify = (status: string, order = 0) => (sentAt: Date) => ({ format: 'ngsi-ld', source: 'lights', body: Buffer.from(JSON.stringify({ type: 'Notification', notifiedAt: sentAt.toISOString(), data: [lamp(status, order)] })) });
    const { first, second } = await twice(notify('defectiveLamp'));
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    later(1);
    expect((await feeds.receive({ ...notify('defectiveLamp', 1)(now), sender: SENDER })).body).toMatchObject({ accepted: 0, duplicates: 1 }); // its members in another order
    later(1);
    expect((await feeds.receive({ ...notify('ok')(now), sender: SENDER })).body).toMatchObject({ accepted: 1 });
    later(60);
    expect((await feeds.receive({ ...notify('defectiveLamp')(now), sender: SENDER })).body).toMatchObject({ accepted: 1 }); // out again: a new fault
    expect(await stored('lights')).toBe(3);
  });

  it('GTFS-RT: a trip without its own timestamp, its delay unchanged in the next snapshot, is stored once; a changed delay is a new event', async () => {
    const trip = (delay: number) => ({ id: 't1', tripUpdate: { trip: { tripId: 'T-42', routeId: 'M2' }, stopTimeUpdate: [{ stopId: 'S1', arrival: { delay } }] } });
    const { first, second } = await twice(gtfs('trips', [trip(600)]), 0.5);
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    for (const [delay, accepted] of [[120, 1], [600, 1], [600, 0]] as const) {
      later(0.5);
      expect((await feeds.receive({ ...gtfs('trips', [trip(delay)])(now), sender: SENDER })).body).toMatchObject({ accepted });
    }
    expect(await stored('trips')).toBe(3);
  });

  it('SIRI: a situation without Version updated (another line, another reason) is a new version; the same again a duplicate', async () => {
    const sx = (lines: string[], reason: string) => ({
      format: 'siri', source: 'siri-sx', sender: SENDER,
      body: Buffer.from(`<Siri xmlns="http://www.siri.org.uk/siri" version="2.0"><ServiceDelivery><ResponseTimestamp>${now.toISOString()}</ResponseTimestamp>
        <SituationExchangeDelivery><Situations><PtSituationElement><CreationTime>2026-11-28T20:00:00Z</CreationTime><SituationNumber>S1</SituationNumber>
        <MiscellaneousReason>${reason}</MiscellaneousReason><Affects><Networks><AffectedNetwork>${lines.map((l) => `<AffectedLine><LineRef>${l}</LineRef></AffectedLine>`).join('')}</AffectedNetwork></Networks></Affects>
        </PtSituationElement></Situations></SituationExchangeDelivery></ServiceDelivery></Siri>`),
    });
    for (const [lines, reason, accepted] of [[['L1'], 'securityAlert', 1], [['L1', 'L2'], 'securityAlert', 1], [['L1'], 'bombAlert', 1], [['L1'], 'bombAlert', 0]] as const) {
      expect((await feeds.receive(sx([...lines], reason))).body).toMatchObject({ accepted, rejected: [] });
    }
  });

  it('GTFS-RT: a cancelled trip, stamped with each snapshot\'s time, is one cancellation', async () => {
    const cancelled = (ts: number) => ({ id: 't42', tripUpdate: { timestamp: ts, trip: { tripId: 'T42', routeId: 'M1', startDate: '20261128', scheduleRelationship: 'CANCELED' } } });
    for (const [k, accepted] of [[0, 1], [1, 0], [2, 0]] as const) {
      if (k) later(0.5);
      expect((await feeds.receive({ ...gtfs('cancels', [cancelled(now.getTime() / 1000)])(now), sender: SENDER })).body).toMatchObject({ accepted, rejected: [] });
    }
    expect(await stored('cancels')).toBe(1);
  });

  it('a feed that sends the same thing again and again still speaks: not late, its last message the latest', async () => {
    const vehicle = { id: 'v1', vehicle: { vehicle: { id: 'BUS-9' }, position: { latitude: 43.3, longitude: 5.37 } } };
    const alert = { id: 'A9', alert: { headerText: { translation: [{ text: 'Travaux', language: 'fr' }] } } };
    for (let k = 0; k < 12; k++) {
      if (k) later(10);
      await feeds.receive({ ...gtfs('same-vehicle', [vehicle], { timestamp: undefined })(now), sender: SENDER });
      await feeds.receive({ ...gtfs('same-alert', [alert])(now), sender: SENDER });
    }
    const health = new Map((await feedHealth(tdb.db, now)).map((f) => [f.source, f]));
    for (const source of ['same-vehicle', 'same-alert']) {
      expect(await stored(source)).toBe(1);
      expect(health.get(source), source).toMatchObject({ status: 'ok', lastReceivedAt: now.toISOString(), usualIntervalSeconds: 600 });
    }
  });

  it('NGSI-LD: an entity updated without its time moving (an alert escalated) is a revision, stored; sent again, a duplicate', async () => {
    const alert = (severity: string) => ({ id: 'urn:ngsi-ld:Alert:A-7', type: 'Alert', category: 'security', subCategory: 'assault', severity, dateIssued: '2026-11-28T21:00:00Z', location: { type: 'Point', coordinates: [5.37, 43.3] } });
    const notify = (severity: string) => ({ format: 'ngsi-ld', source: 'fiware-alerts', body: Buffer.from(JSON.stringify({ data: [alert(severity)] })), sender: SENDER });
    expect((await feeds.receive(notify('medium'))).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await feeds.receive(notify('critical'))).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await feeds.receive(notify('critical'))).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect((await feeds.receive(notify('medium'))).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const rows = await tdb.db.query<{ id: string; severity: number }>("SELECT id, severity FROM events WHERE source = 'fiware-alerts' ORDER BY severity");
    expect(rows).toEqual([{ id: 'urn:ngsi-ld:Alert:A-7@1795899600', severity: 3 }, { id: expect.stringMatching(/^urn:ngsi-ld:Alert:A-7@1795899600~[\w-]{12}$/), severity: 5 }]);
    // One notification holding two states of it, the second the one stored: the first a revision, the second a duplicate, none stored twice.
    expect((await feeds.receive({ ...notify('high'), body: Buffer.from(JSON.stringify({ data: [alert('low'), alert('medium')] })) })).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect((await tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source = 'fiware-alerts'"))[0]!.n).toBe(3);
    // Canonical events keep their contract: the same key with another body is a conflict.
    const e = { id: 'c-1', source: 'canon', type: 'incident.theft', time: '2026-11-28T20:00:00Z' };
    await pipeline.ingest([e], SENDER);
    expect((await pipeline.ingest([{ ...e, severity: 5 }], SENDER)).rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_EVENT_CONFLICT' }) }]);
  });

  it('an entry that has a time of its own is not taken for the stored one when only its time differs', async () => {
    const vehicle = (ts: number) => ({ id: 'v1', vehicle: { vehicle: { id: 'TRAM-2' }, timestamp: ts, position: { latitude: 43.3, longitude: 5.37 } } });
    const t = now.getTime() / 1000;
    expect((await feeds.receive({ ...gtfs('own-clock', [vehicle(t)])(now), sender: SENDER })).body).toMatchObject({ accepted: 1 });
    expect((await feeds.receive({ ...gtfs('own-clock', [vehicle(t + 30)])(now), sender: SENDER })).body).toMatchObject({ accepted: 1 });
    expect(await stored('own-clock')).toBe(2);
  });
});

describe('hostile or unforeseen payloads', () => {
  it('NGSI-LD values that cannot be printed, a line of 200 000 points, coordinates nested deep: no crash, the entity kept or refused', async () => {
    const line = Array.from({ length: 200_000 }, (_, k) => [5 + k / 1e6, 43.3]);
    const deep = `${'['.repeat(100_000)}5.37,43.3${']'.repeat(100_000)}`; // written out: JSON.stringify would overflow the test's own stack
    const data = [
      { id: 'urn:x:1', type: { toString: 1 } },
      { id: 'urn:ngsi-ld:Streetlight:H1', type: 'Streetlight', status: { toString: 1 }, dateModified: '2026-11-28T20:00:00Z' },
      { id: 'urn:ngsi-ld:Alert:H2', type: 'Alert', category: { value: { valueOf: 1 } }, severity: [1], dateIssued: '2026-11-28T20:00:00Z' },
      { id: 'urn:ngsi-ld:CrowdFlowObserved:H3', type: 'CrowdFlowObserved', dateObserved: '2026-11-28T20:00:00Z', location: { type: 'LineString', coordinates: line } },
      { id: 'urn:ngsi-ld:CrowdFlowObserved:H4', type: 'CrowdFlowObserved', dateObserved: '2026-11-28T20:00:00Z', location: { type: 'Point', coordinates: 'DEEP' } },
    ];
    const body = Buffer.from(JSON.stringify({ data }).replace('"DEEP"', deep));
    expect(body.length).toBeLessThan(4 * 1024 * 1024);
    const a = await feeds.receive({ format: 'ngsi-ld', source: 'hostile', body, sender: SENDER, unattended: true });
    expect(a.status).toBe(202);
    expect(a.body).toMatchObject({ accepted: 4, rejected: [{ index: 0, error: expect.objectContaining({ field: 'data.type' }) }] });
  });

  it('an adapter failing on a message it did not foresee refuses it as malformed, kept as a dead letter, never a 500', async () => {
    const decode = ngsiLdAdapter.decode;
    ngsiLdAdapter.decode = () => { throw new TypeError('Cannot convert object to primitive value'); };
    try {
      const a = await feeds.receive({ format: 'ngsi-ld', source: 'unforeseen', body: Buffer.from('{"data": []}'), sender: SENDER });
      expect(a.status).toBe(400);
      expect(a.body).toMatchObject({ error: { code: 'VIGIE_FEED_MALFORMED', message: expect.stringContaining('could not be read') } });
      expect(a.deadLetter).toEqual(expect.any(Number));
    } finally {
      ngsiLdAdapter.decode = decode;
    }
  });
});

describe('a large message', () => {
  it('is one message for feed health, however many batches it is written in', async () => {
    const entity = Array.from({ length: 2500 }, (_, k) => ({ id: `v${k}`, vehicle: { vehicle: { id: `BIG-${k}` }, timestamp: now.getTime() / 1000, position: { latitude: 43.3, longitude: 5.37 } } }));
    let ticks = 0;
    const clocked = new FeedIngest({ db: tdb.db, pipeline: new IngestPipeline(tdb.db, new Pseudonymiser('redelivery-test-key-0123456789', 'k1'), () => new Date(now.getTime() + 10 * ticks++)),
      sealer: new Sealer(new Pseudonymiser('redelivery-test-key-0123456789', 'k1').keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now: () => now, timeZone: 'Europe/Paris', onZones: async () => {} });
    const body = Buffer.from(encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: now.getTime() / 1000 }, entity }));
    expect((await clocked.receive({ format: 'gtfs-rt', source: 'big-once', body, sender: SENDER, unattended: true })).body).toMatchObject({ accepted: 2500 });
    const health = (await feedHealth(tdb.db, new Date(now.getTime() + 10 * 60_000))).find((f) => f.source === 'big-once');
    expect(health).toMatchObject({ status: 'ok', usualIntervalSeconds: null });
  });
});

describe('entity states, judged one change after another', () => {
  const lamp = (id: string, status: string) => ({ id: `urn:ngsi-ld:Streetlight:${id}`, type: 'Streetlight', status, location: { type: 'Point', coordinates: [5.37, 43.3] } });
  const notify = (source: string, ...lamps: object[]) => ({ format: 'ngsi-ld', source, sender: SENDER, body: Buffer.from(JSON.stringify({ notifiedAt: now.toISOString(), data: lamps })) });
  const node = () => new FeedIngest({ db: tdb.db, pipeline: new IngestPipeline(tdb.db, new Pseudonymiser('redelivery-test-key-0123456789', 'k1'), () => now),
    sealer: new Sealer(new Pseudonymiser('redelivery-test-key-0123456789', 'k1').keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now: () => now, timeZone: 'Europe/Paris', onZones: async () => {} });
  const statuses = async (source: string) => (await tdb.db.query<{ s: string }>("SELECT body->'attributes'->>'status' AS s FROM events WHERE source = $1 ORDER BY received_at, id", [source])).map((r) => r.s);

  it('two notifications at once about one light (repaired, then out again) are both stored', async () => {
    const a = node();
    await a.receive(notify('race', lamp('R1', 'defectiveLamp')));
    later(1);
    const [ok, out] = await Promise.all([a.receive(notify('race', lamp('R1', 'ok'))), (later(0.02), a.receive(notify('race', lamp('R1', 'defectiveLamp'))))]);
    expect([ok.body, out.body]).toMatchObject([{ accepted: 1 }, { accepted: 1 }]);
    expect(await statuses('race')).toEqual(['defectiveLamp', 'ok', 'defectiveLamp']);
  });

  it('one message saying a light was repaired then went out again holds two changes', async () => {
    const a = node();
    await a.receive(notify('twice-in-one', lamp('T1', 'defectiveLamp')));
    later(1);
    expect((await a.receive(notify('twice-in-one', lamp('T1', 'ok'), lamp('T1', 'defectiveLamp')))).body).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it('a change another node stored is seen: the state coming back on this node is a new event, not a repeat', async () => {
    const a = node(), b = node();
    await a.receive(notify('two-nodes', lamp('N1', 'defectiveLamp')));
    later(1);
    await b.receive(notify('two-nodes', lamp('N1', 'ok')));
    later(1);
    expect((await a.receive(notify('two-nodes', lamp('N1', 'defectiveLamp')))).body).toMatchObject({ accepted: 1 });
    later(1);
    expect((await a.receive(notify('two-nodes', lamp('N1', 'defectiveLamp')))).body).toMatchObject({ accepted: 0, duplicates: 1 }); // a repeat again, once this node is the last to have stored
    expect(await statuses('two-nodes')).toEqual(['defectiveLamp', 'ok', 'defectiveLamp']);
  });

  it('a message that could not be stored gives its entities their states back: sent again, it is stored', async () => {
    const failing: SqlClient = Object.create(tdb.db);
    let fail = false;
    failing.query = async (sql, params) => {
      if (fail && /INSERT INTO events|COPY events/.test(sql)) throw new Error('Connection terminated unexpectedly');
      return tdb.db.query(sql, params);
    };
    const p = new Pseudonymiser('redelivery-test-key-0123456789', 'k1');
    const a = new FeedIngest({ db: failing, pipeline: new IngestPipeline(failing, p, () => now), sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now: () => now, timeZone: 'Europe/Paris', onZones: async () => {} });
    await a.receive(notify('blip', lamp('B1', 'defectiveLamp')));
    later(1);
    fail = true;
    await expect(a.receive(notify('blip', lamp('B1', 'ok')))).rejects.toThrow(/Connection terminated/);
    fail = false;
    expect((await a.receive(notify('blip', lamp('B1', 'ok')))).body).toMatchObject({ accepted: 1 });
  });
});
