import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlEscape } from '../feeds/cap/cap-out.ts';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { Open311Request, open311ToEvent } from '../feeds/open311/open311-mapping.ts';
import { OPEN311_SERVICES } from '../feeds/open311/services.ts';
import { createLogger } from '../logger.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { FeedIngest, type FeedAnswer } from './feed-ingest.ts';
import { IngestPipeline, prepareBatch, type Sender } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';
import { FeedRateLimiter } from './rate-limit.ts';
import { Sealer } from './seal.ts';

/**
 * Property-based runs: for each format, 10 000 generated payloads (valid ones and the same
 * malformed, truncated, corrupted or foreign) go through the ingest's checks and the adapter,
 * then the pipeline's validation. Bad input only ever gets a 4xx; nothing throws; every valid
 * item comes out. Then the valid items of every run are stored through the real pipeline
 * (PGlite) and counted, and a slice of whole payloads goes through `receive` with dead letters.
 */
const RUNS = 10_000;
const NOW = new Date('2026-11-28T20:30:00Z');
const SENDER: Sender = { name: 'property', sources: null };
const pseudonymiser = new Pseudonymiser('property-test-key-0123456789', 'p1');

let tdb: TestDatabase;
let feeds: FeedIngest;
let pipeline: IngestPipeline;
beforeAll(async () => {
  tdb = await memoryDatabase();
  pipeline = new IngestPipeline(tdb.db, pseudonymiser, () => NOW);
  feeds = new FeedIngest({
    db: tdb.db, pipeline, sealer: new Sealer(pseudonymiser.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'),
    now: () => NOW, timeZone: 'Europe/Paris', onZones: async () => {},
  });
});
afterAll(async () => { await tdb?.drop(); });

/** Valid items of every run, stored at the end through the real pipeline. */
const keep = new Map<string, unknown>();
const whole: { format: string; source: string; body: Buffer; contentType: string }[] = [];

/** A payload and how many of its items are valid and expected out (null: the payload is damaged), and how many are meant to be refused. */
type Sample = { body: Buffer; valid: number | null; bad?: number };
const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'.split('')) });
const anyText = fc.string({ maxLength: 40, unit: 'binary' });
const lat = fc.double({ min: -89.9, max: 89.9, noNaN: true });
const lon = fc.double({ min: -179.9, max: 179.9, noNaN: true });

/** A valid payload, or the same truncated, corrupted, replaced by random bytes or by random JSON. */
function damaged(valid: fc.Arbitrary<Sample>): fc.Arbitrary<Sample> {
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 2, arbitrary: fc.tuple(valid, fc.double({ min: 0, max: 1, noNaN: true })).map(([s, f]) => ({ body: s.body.subarray(0, Math.floor(s.body.length * f)), valid: null })) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([s, i, b]) => { const c = Buffer.from(s.body); if (c.length) c[i % c.length] = b; return { body: c, valid: null }; }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((u) => ({ body: Buffer.from(u), valid: null })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((j) => ({ body: Buffer.from(JSON.stringify(j) ?? ''), valid: null })) },
  );
}

const gtfs = fc.array(fc.tuple(lat, lon.filter((x) => Math.fround(x) !== 0) /* 0,0 is refused (no fix); positions travel as float32 */, fc.integer({ min: 1_600_000_000, max: 1_810_000_000 }) /* up to May 2027: a vehicle more than a year ahead of NOW is refused */, fc.option(word)), { maxLength: 8 })
  .map((vs) => ({
    body: Buffer.from(encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: vs.map(([la, lo, t, route], i) => ({ id: `e${i}`, vehicle: { vehicle: { id: `V${i}` }, timestamp: t, position: { latitude: la, longitude: lo }, ...(route ? { trip: { routeId: route } } : {}) } })) })),
    valid: vs.length,
  }));

const siriXml = fc.array(fc.tuple(word, anyText, fc.date({ min: new Date('2020-01-01'), max: new Date('2027-05-01') /* NOW + less than a year */, noInvalidDate: true })), { maxLength: 5 })
  .map((ms) => ({
    body: Buffer.from(`<?xml version="1.0"?><Siri xmlns="http://www.siri.org.uk/siri" version="2.0"><ServiceDelivery><GeneralMessageDelivery>${ms.map(([id, text, at], i) =>
      `<GeneralMessage><RecordedAtTime>${at.toISOString()}</RecordedAtTime><InfoMessageIdentifier>${id}-${i}</InfoMessageIdentifier><Content><Message><MessageText xml:lang="fr">${xmlEscape(text)}</MessageText></Message></Content></GeneralMessage>`).join('')}</GeneralMessageDelivery></ServiceDelivery></Siri>`),
    valid: ms.length,
  }));

const siriLite = fc.array(fc.tuple(word, fc.string({ maxLength: 40 })), { maxLength: 5 })
  .map((ms) => ({
    body: Buffer.from(JSON.stringify({ Siri: { ServiceDelivery: { ResponseTimestamp: NOW.toISOString(), GeneralMessageDelivery: [{ InfoMessage: ms.map(([id, text], i) => ({ InfoMessageIdentifier: { value: `${id}-${i}` }, RecordedAtTime: NOW.toISOString(), Content: { Message: [{ MessageText: { value: text, lang: 'fr' } }] } })) }] } } })),
    valid: ms.length,
  }));

const cap = fc.tuple(word, fc.array(fc.tuple(word, anyText, fc.array(fc.tuple(lat, lon), { minLength: 3, maxLength: 6 }), fc.option(fc.tuple(lat, lon, fc.double({ min: 0.1, max: 50, noNaN: true })))), { maxLength: 3 }))
  .map(([id, infos]) => ({
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${id}</identifier><sender>s@x</sender><sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>${infos.map(([event, head, poly, circle]) =>
      `<info><category>Met</category><event>${event}</event><urgency>Future</urgency><severity>Severe</severity><certainty>Likely</certainty><expires>2099-01-01T00:00:00+00:00</expires><headline>${xmlEscape(head)}</headline><area><areaDesc>a</areaDesc><polygon>${[...poly, poly[0]!].map(([a, b]) => `${a},${b}`).join(' ')}</polygon>${circle ? `<circle>${circle[0]},${circle[1]} ${circle[2]}</circle>` : ''}</area></info>`).join('')}</alert>`),
    valid: infos.length,
  }));

const ngsi = fc.array(fc.oneof(
  fc.tuple(word, fc.constantFrom('ok', 'defectiveLamp', 'columnIssue')).map(([id, status]) => ({ ok: true, e: { id: `urn:ngsi-ld:Streetlight:${id}`, type: 'Streetlight', status: { type: 'Property', value: status, observedAt: NOW.toISOString() } } })),
  fc.tuple(word, fc.nat(100_000), lat, lon).map(([id, n, a, b]) => ({ ok: true, e: { id: `urn:ngsi-ld:CrowdFlowObserved:${id}`, type: 'CrowdFlowObserved', peopleCount: { type: 'Property', value: n }, location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [b, a] } } } })),
  fc.jsonValue({ maxDepth: 2 }).map((j) => ({ ok: false, e: j })),
), { maxLength: 6 }).map((es) => {
  // Unique ids within the notification: the same entity twice is a duplicate, not a new item.
  const data = es.map((x, i) => (x.ok ? { ...(x.e as object), id: `${(x.e as { id: string }).id}-${i}` } : x.e));
  return { body: Buffer.from(JSON.stringify({ type: 'Notification', notifiedAt: NOW.toISOString(), data })), valid: es.filter((x) => x.ok).length, bad: es.filter((x) => !x.ok).length };
});

const csvField = fc.string({ maxLength: 20 }).map((s) => `"${s.replace(/"/g, '""')}"`);
const csv = fc.array(fc.tuple(word, fc.constantFrom('Rixe', 'Vol', 'Agression', 'accident.bike', 'Autre chose'), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), lat, lon, csvField), { maxLength: 8 })
  .map((rows) => ({
    body: Buffer.from(`numero;date;heure;nature;latitude;longitude;observations\n${rows.map(([id, nature, d, h, a, b, obs], i) => `${id}-${i};${String(d).padStart(2, '0')}/11/2026;${h}:05;${nature};${a};${b};${obs}`).join('\n')}\n`),
    valid: rows.length,
  }));

const FORMATS: [string, string, fc.Arbitrary<Sample>][] = [
  ['gtfs-rt', 'application/x-protobuf', gtfs], ['siri', 'application/xml', siriXml], ['siri-lite', 'application/json', siriLite],
  ['cap', 'application/cap+xml', cap], ['ngsi-ld', 'application/json', ngsi], ['csv', 'text/csv', csv],
];

describe.each(FORMATS)('%s: 10 000 generated payloads', (format, contentType, arb) => {
  it('bad input gets a 4xx, nothing throws, every valid item comes out valid', () => {
    let validRuns = 0, refused = 0;
    fc.assert(fc.property(damaged(arb), fc.constantFrom('p-a', 'p-b'), (s, source) => {
      const checked = feeds.check({ format, source: `${format.replace('-', '')}-${source}`, body: s.body, sender: SENDER, contentType }, NOW);
      if ('refusal' in checked) {
        expect(checked.refusal.status).toBeGreaterThanOrEqual(400);
        expect(checked.refusal.status).toBeLessThan(500);
        expect(s.valid).toBeNull(); // a valid payload is never refused
        if (refused++ % 40 === 0 && whole.length < 1200) whole.push({ format, source: `${format}-whole`, body: s.body, contentType });
        return;
      }
      const { decoded } = checked;
      const batch = prepareBatch(decoded.items.map((x) => x.item), SENDER, pseudonymiser, NOW.toISOString());
      for (const r of [...decoded.rejected, ...batch.rejected]) {
        expect(r.error.code).toMatch(/^VIGIE_/);
        expect(r.error.message).toBeTruthy();
      }
      if (s.valid !== null) {
        validRuns++;
        expect(decoded.rejected.length).toBe(s.bad ?? 0);
        expect(batch.rejected).toEqual([]);
        expect(batch.rows.length + batch.duplicates).toBe(s.valid);
        for (const r of batch.rows) keep.set(`${r.event.source}\u0000${r.event.id}`, decoded.items[r.index]!.item);
        if (whole.length < 1200 && validRuns % 40 === 0) whole.push({ format, source: `${format}-whole`, body: s.body, contentType });
      } else if (whole.length < 1200 && validRuns % 40 === 1) {
        whole.push({ format, source: `${format}-whole`, body: s.body, contentType }); // decodable but damaged
      }
    }), { numRuns: RUNS, seed: 4242 });
    expect(validRuns).toBeGreaterThan(RUNS / 4);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });
});

describe('Open311: 10 000 generated requests', () => {
  it('bad requests are refused with a field, valid ones become valid events', () => {
    const codes = OPEN311_SERVICES.map((s) => s.service_code);
    const field = fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.double().map(String), fc.integer().map(String)), { nil: undefined });
    let valid = 0;
    fc.assert(fc.property(fc.record({
      service_code: fc.option(fc.oneof(fc.constantFrom(...codes), fc.string()), { nil: undefined }),
      lat: fc.option(fc.oneof(lat.map(String), fc.string({ maxLength: 8 })), { nil: undefined }),
      long: fc.option(fc.oneof(lon.map(String), fc.string({ maxLength: 8 })), { nil: undefined }),
      address_string: field, description: field, email: field, first_name: field, phone: field, media_url: field,
    }, { requiredKeys: [] }), (body) => {
      const r = Open311Request.safeParse(body);
      if (!r.success) {
        expect(r.error.issues[0]!.path.length + r.error.issues[0]!.message.length).toBeGreaterThan(0);
        return;
      }
      valid++;
      const batch = prepareBatch([open311ToEvent(r.data, `o311-${valid}`, NOW)], SENDER, pseudonymiser, NOW.toISOString());
      expect(batch.rejected).toEqual([]);
      expect(JSON.stringify(batch.rows[0]!.event)).not.toContain(r.data.email && r.data.email.length > 3 ? `"${r.data.email}"` : '\u0000');
    }), { numRuns: RUNS, seed: 4242 });
    expect(valid).toBeGreaterThan(100);
  });
});

describe('the valid items of every run, stored', () => {
  it('are all in the database after going through the real pipeline: none lost', async () => {
    // A spread sample of them (every format), to keep the run short on a loaded machine.
    const all = [...keep.values()];
    const step = Math.max(1, Math.floor(all.length / 12_000));
    const items = all.filter((_, i) => i % step === 0);
    expect(items.length).toBeGreaterThan(10_000);
    for (let i = 0; i < items.length; i += 1000) {
      const r = await pipeline.ingest(items.slice(i, i + 1000), SENDER);
      expect(r.rejected).toEqual([]);
    }
    const [row] = await tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source LIKE '%-p-_'");
    const n = row!.n;
    expect(n).toBe(items.length);
  }, 120_000);

  it('whole payloads through receive(): 202 or 4xx, dead letters for the refused, never a 5xx', async () => {
    const answers: FeedAnswer[] = [];
    for (const w of whole) answers.push(await feeds.receive({ ...w, sender: SENDER }));
    expect(answers.length).toBeGreaterThan(300);
    for (const a of answers) expect(a.status === 202 || (a.status >= 400 && a.status < 500), JSON.stringify(a)).toBe(true);
    const malformed = answers.filter((a) => a.status === 400 && (a.body as { error: { code: string } }).error.code === 'VIGIE_FEED_MALFORMED');
    expect(malformed.length).toBeGreaterThan(0);
    expect(malformed.filter((a) => typeof a.deadLetter !== 'number')).toEqual([]);
  }, 120_000);
});
