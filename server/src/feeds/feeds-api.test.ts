import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometryContains, type Alert, type FeedHealth, type StoredEvent } from '@vigie/rules';
import { assault, eventually, liveClient, login, postEvents, startNode, type Running } from '../testing/harness.ts';
import { validateXml, xmllintAvailable } from './cap/xmllint.ts';
import { encodeFeedMessage } from './gtfs-rt/gtfs-rt-adapter.ts';
import { storeGtfsStatic } from './gtfs-static/gtfs-static-repo.ts';
import { sharedData } from './test-data.ts';

let node: Running;
let url: string;
// The GTFS-RT test server below listens on loopback, which polls refuse unless allowed: allowed here, by its address only.
beforeAll(async () => { node = await startNode({ VIGIE_FEED_ALLOW_HOSTS: '127.0.0.1' }); url = node.url; });
afterAll(async () => { await node?.stop(); });

const TOKEN = { authorization: 'Bearer demo-feed-token' };
const sample = (name: string) => readFileSync(new URL(`./samples/${name}`, import.meta.url));
const BULL = readFileSync(sharedData('samples/bullrunner/bullrunner-vehicle-positions'));

async function ingest(format: string, source: string, body: Buffer | string, contentType: string, query = '') {
  const res = await fetch(`${url}/api/v1/ingest/${format}?source=${source}${query}`, { method: 'POST', headers: { ...TOKEN, 'content-type': contentType }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }; // answers are read field by field
}
async function stored(source: string): Promise<StoredEvent[]> {
  const op = await login(url, 'operator');
  return ((await (await fetch(`${url}/api/v1/events?source=${source}&limit=1000`, { headers: op.headers })).json()) as { events: StoredEvent[] }).events;
}

describe('POST /api/v1/ingest/{format}', () => {
  it('takes each standard format and answers like /api/v1/events', async () => {
    expect(await ingest('gtfs-rt', 'bullrunner', BULL, 'application/x-protobuf')).toMatchObject({ status: 202, body: { accepted: 10, duplicates: 0, rejected: [] } });
    expect((await ingest('gtfs-rt', 'bullrunner', BULL, 'application/octet-stream')).body).toEqual({ accepted: 0, duplicates: 10, rejected: [] });
    expect((await ingest('siri', 'rtm-siri', sample('siri-sx-gm.xml'), 'application/xml')).body).toMatchObject({ accepted: 2, rejected: [{ index: 1 }] });
    expect((await ingest('siri-lite', 'rtm-siri-lite', sample('siri-lite-gm.json'), 'application/json')).body).toMatchObject({ accepted: 1 });
    expect((await ingest('ngsi-ld', 'fiware', sample('ngsi-ld-notification.json'), 'application/ld+json')).body).toMatchObject({ accepted: 3, rejected: [{ index: 3 }] });
    expect((await ingest('csv', 'csu-export', sample('main-courante.csv'), 'text/csv')).body).toMatchObject({ accepted: 3, rejected: [{ index: 2 }, { index: 4 }] });
    const csu = await stored('csu-export');
    const assaultRow = csu.find((e) => e.id === 'MC-2026-004211')!;
    expect(assaultRow.text).toBe('Agression, témoin joignable au [phone]'); // pseudonymised on the way, like every feed
    expect((await stored('bullrunner'))).toHaveLength(10);
  });

  it('turns a CAP area named only by the city\'s département into a zone over the city, and one elsewhere into none', async () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    const areas = xml.slice(xml.indexOf('<area>'), xml.lastIndexOf('</area>') + 7);
    const departement = (code: string, id: string) => xml.replace(areas, `<area><areaDesc>Département ${code}</areaDesc><geocode><valueName>departement</valueName><value>${code}</value></geocode></area>`)
      .replace(/<identifier>.*<\/identifier>/, `<identifier>${id}</identifier>`);
    expect((await ingest('cap', 'meteo', departement('13', 'dept-13'), 'application/cap+xml')).body).toMatchObject({ accepted: 1 });
    expect((await ingest('cap', 'meteo', departement('84', 'dept-84'), 'application/cap+xml')).body).toMatchObject({ accepted: 1 });
    const zones = await node.vigie.db.query<{ id: string; name: string; geometry: { coordinates: [number, number][][] } }>("SELECT id, name, geometry FROM zones WHERE kind = 'warning' AND id LIKE 'cap-meteo-%'");
    expect(zones.map((z) => [z.id, z.name])).toEqual([['cap-meteo-dept-13#0-0', 'Vigilance orange orages · Département 13']]);
    // It holds every zone of the city: a point of each lies inside.
    const city = await node.vigie.db.query<{ geometry: { type: string; coordinates: unknown } }>('SELECT geometry FROM zones WHERE expires_at IS NULL');
    expect(city.length).toBeGreaterThan(0);
    const outline = { type: 'Polygon' as const, coordinates: zones[0]!.geometry.coordinates };
    for (const z of city) {
      const ring = (z.geometry.type === 'Polygon' ? z.geometry.coordinates : (z.geometry.coordinates as unknown[])[0]) as [number, number][][];
      const [lon, lat] = ring[0]![0]!;
      expect(geometryContains(outline, lon + (ring[0]![2]![0] - lon) * 0.01, lat + (ring[0]![2]![1] - lat) * 0.01)).toBe(true);
    }
    await node.vigie.db.query("DELETE FROM zones WHERE id LIKE 'cap-meteo-%'");
  });

  it('turns CAP areas into temporary zones the engine gets and consoles are told of, until the warning is lifted', async () => {
    const op = await login(url, 'operator');
    const socket = await liveClient(url, { cookie: op.cookie });
    const told: string[] = [];
    socket.on('zones:changed', (z) => told.push(z.at));
    const warnings = async () => ((await (await fetch(`${url}/api/v1/zones`, { headers: op.headers })).json()) as { zones: { id: string; kind: string; expiresAt?: string }[] }).zones.filter((z) => z.kind === 'warning');
    const engine = node.vigie.engine;
    const seen: string[][] = [];
    const setZones = engine.setZones.bind(engine);
    engine.setZones = (z) => { seen.push(z.map((x) => x.id)); return setZones(z); };
    expect((await ingest('cap', 'prefecture', sample('cap-meteo-orages.xml'), 'application/cap+xml')).body).toMatchObject({ accepted: 1 });
    const zones = await node.vigie.db.query<{ id: string; kind: string; expires_at: unknown }>("SELECT id, kind, expires_at FROM zones WHERE kind = 'warning' ORDER BY id");
    expect(zones.map((z) => z.id)).toEqual([expect.stringMatching(/^cap-prefecture-.*#0-0$/), expect.stringMatching(/#0-1$/)]);
    const [e] = await stored('prefecture');
    expect(e!.attributes!.zoneIds).toBe(zones.map((z) => z.id).join(','));
    expect(seen.at(-1)).toEqual(expect.arrayContaining(zones.map((z) => z.id)));
    await eventually(() => (told.length === 1 ? true : undefined));
    // The console reads them again, with when each ends.
    expect((await warnings()).map((z) => [z.id, z.expiresAt])).toEqual(zones.map((z) => [z.id, new Date(z.expires_at as string | Date).toISOString()]));
    // Wall screens show them too (they poll their state).
    const wallWarnings = async () => ((await (await fetch(`${url}/api/v1/wall/state?token=demo-wall`)).json()) as { warnings: { id: string; name: string }[] }).warnings;
    expect(await wallWarnings()).toEqual(zones.map((z) => expect.objectContaining({ id: z.id, name: expect.stringMatching(/^Vigilance orange orages · /) })));
    // The prefecture lifts its warning: a Cancel referencing it ends the zones at once.
    const cancel = `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>lift-1</identifier><sender>vigilance@meteo.fr</sender>
      <sent>2026-11-28T22:00:00+01:00</sent><status>Actual</status><msgType>Cancel</msgType><scope>Public</scope>
      <references>vigilance@meteo.fr,2.49.0.0.250.0.FR.20261128T200000.13.orages,2026-11-28T20:00:00+01:00</references>
      <info><category>Met</category><event>Fin de vigilance orages</event><urgency>Past</urgency><severity>Minor</severity><certainty>Observed</certainty></info></alert>`;
    expect((await ingest('cap', 'prefecture', cancel, 'application/cap+xml')).status).toBe(202);
    expect(await node.vigie.db.query("SELECT id FROM zones WHERE kind = 'warning'")).toEqual([]);
    expect(seen.at(-1)!.filter((id) => id.startsWith('cap-'))).toEqual([]);
    await eventually(() => (told.length === 2 ? true : undefined));
    expect(await warnings()).toEqual([]);
    expect(await wallWarnings()).toEqual([]);
    socket.close();
    engine.setZones = setZones;
  });

  it('refuses bad requests with a code and a field, and keeps malformed payloads as dead letters an admin can replay', async () => {
    expect(await ingest('gtfs-rt', 'bullrunner', BULL.subarray(0, 50), 'application/x-protobuf')).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED' } } });
    expect(await ingest('kml', 'x', 'x', 'text/plain')).toMatchObject({ status: 404, body: { error: { code: 'VIGIE_NOT_FOUND' } } });
    expect(await ingest('siri', 'BAD SOURCE', '<Siri/>', 'application/xml')).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { field: 'source' } } } });
    expect(await ingest('siri', 'x', '<Siri/>', 'application/json')).toMatchObject({ status: 415, body: { error: { code: 'VIGIE_BAD_CONTENT_TYPE' } } });
    const unauth = await fetch(`${url}/api/v1/ingest/siri?source=x`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<Siri/>' });
    expect(unauth.status).toBe(401);

    // A CSV export with other column names: every row refused, kept with the reason…
    const csv = 'ref;when;kind\nR1;28/11/2026 21:00;Rixe\nR2;28/11/2026 21:05;Vol\n';
    const refused = await ingest('csv', 'csu-other', csv, 'text/csv');
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_EVENT_INVALID', details: { rejected: [{ index: 0 }, { index: 1 }] } } } });
    const dlId = refused.body.error.details.deadLetter as number;
    const admin = await login(url, 'admin');
    const list = await (await fetch(`${url}/api/v1/feeds/dead-letters?pending=1`, { headers: admin.headers })).json() as { deadLetters: { id: number; code: string; format: string }[] };
    expect(list.deadLetters.map((d) => d.code)).toEqual(expect.arrayContaining(['VIGIE_FEED_MALFORMED', 'VIGIE_EVENT_INVALID']));
    const shown = await (await fetch(`${url}/api/v1/feeds/dead-letters/${dlId}`, { headers: admin.headers })).json() as { payload: { encoding: string; text: string }; reason: string };
    expect(shown.payload).toEqual({ encoding: 'utf8', text: csv });
    const [row] = await node.vigie.db.query<{ payload: string }>('SELECT payload FROM dead_letters WHERE id = $1', [dlId]);
    expect(row!.payload).not.toContain('R1;'); // sealed at rest
    // …and replayed once the mapping is fixed: nothing lost.
    const replay = await fetch(`${url}/api/v1/feeds/dead-letters/${dlId}/replay`, {
      method: 'POST', headers: admin.headers, body: JSON.stringify({ options: { 'map.id': 'ref', 'map.time': 'when', 'map.type': 'kind' } }),
    });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect((await stored('csu-other')).map((e) => e.type).sort()).toEqual(['incident.fight', 'incident.theft']);
    // An admin's replay is not the feed speaking: feed health does not count it as the feed's message.
    const health = (await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json()) as { feeds: FeedHealth[] };
    expect(health.feeds.find((f) => f.source === 'csu-other')).toMatchObject({ status: 'no-data', lastReceivedAt: null, eventsLastHour: 0, errorRate: 1 });
    const after = await (await fetch(`${url}/api/v1/feeds/dead-letters?pending=1`, { headers: admin.headers })).json() as { deadLetters: { id: number }[] };
    expect(after.deadLetters.map((d) => d.id)).not.toContain(dlId);
    const op = await login(url, 'operator');
    expect((await fetch(`${url}/api/v1/feeds/dead-letters`, { headers: op.headers })).status).toBe(403);
  });

  it('keeps a dead letter pending while its replay does not store everything, with the replay\'s answer', async () => {
    const admin = await login(url, 'admin');
    const pending = async () => ((await (await fetch(`${url}/api/v1/feeds/dead-letters?pending=1&source=still-bad`, { headers: admin.headers })).json()) as { deadLetters: { id: number; replayedAt: string | null; replay: { status: number } | null }[] }).deadLetters;
    const malformed = await ingest('siri', 'still-bad', '<Siri><ServiceDelivery>', 'application/xml');
    expect(malformed.status).toBe(400);
    const malformedId = malformed.body.error.details.deadLetter as number;
    // Two rows, one of them refused: the other is stored, the refused one kept.
    const partial = await ingest('csv', 'still-bad', 'numero;nature;horodatage\nSB1;Rixe;2026-11-28T21:00:00+01:00\nSB2;Vol;hier\n', 'text/csv');
    expect(partial).toMatchObject({ status: 202, body: { accepted: 1, rejected: [{ index: 1 }] } });
    const partialId = (await pending()).find((d) => d.id !== malformedId)!.id;
    expect((await pending()).map((d) => d.id).sort()).toEqual([malformedId, partialId].sort());
    const replay = (id: number) => fetch(`${url}/api/v1/feeds/dead-letters/${id}/replay`, { method: 'POST', headers: admin.headers, body: '{}' });
    // Replayed unchanged: refused again, still pending (replayed, with the answer recorded).
    expect((await replay(malformedId)).status).toBe(400);
    expect((await replay(partialId)).status).toBe(202);
    const still = await pending();
    expect(still.map((d) => d.id).sort()).toEqual([malformedId, partialId].sort());
    expect(still.find((d) => d.id === malformedId)).toMatchObject({ replayedAt: expect.any(String), replay: { status: 400 } });
    expect(still.find((d) => d.id === partialId)).toMatchObject({ replay: { status: 202, body: { accepted: 0, duplicates: 1, rejected: [{ index: 1 }] } } });
    const all = ((await (await fetch(`${url}/api/v1/feeds/dead-letters?source=still-bad`, { headers: admin.headers })).json()) as { deadLetters: { id: number }[] }).deadLetters;
    expect(all.map((d) => d.id)).toEqual([partialId, malformedId].sort((a, b) => b - a)); // newest first
  });

  it('previews a CSV mapping without storing anything', async () => {
    const res = await fetch(`${url}/api/v1/ingest/csv/preview?source=preview-only`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'text/csv' }, body: sample('main-courante.csv') });
    const body = await res.json() as { rows: number; columns: string[]; preview: { index: number; item?: unknown; field?: string }[] };
    expect(body.rows).toBe(5);
    expect(body.columns).toContain('numero');
    expect(body.preview.map((p) => ('item' in p ? 'ok' : p.field))).toEqual(['ok', 'ok', 'date', 'ok', 'numero']);
    expect(await stored('preview-only')).toEqual([]);
  });

  it('previews what would be stored: text scrubbed of phone numbers, personal columns as pseudonyms, the event checks\' refusals', async () => {
    const csv = 'numero;horodatage;nature;adresse;gravite;observations\nA1;2026-11-28T21:14:00+01:00;Rixe;12 rue de Rome;2;rappeler au 06 12 34 56 78\nA2;2026-11-28T21:20:00+01:00;Vol;Vieux-Port;9;gravité hors échelle\n';
    const res = await fetch(`${url}/api/v1/ingest/csv/preview?source=preview-scrub`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'text/csv' }, body: csv });
    const body = await res.json() as { preview: { index: number; item?: StoredEvent; field?: string; reason?: unknown }[] };
    const [first, second] = body.preview;
    expect(first!.item!.text).toBe('rappeler au [phone]');
    expect(first!.item!.attributes!.adresse).toMatch(/^ps:[^:]+:[0-9a-f]{32}$/);
    expect(first!.item).not.toHaveProperty('receivedAt');
    // Severity 9 passes the CSV mapping but not the event's checks: the preview says so, as the import would.
    expect(second).toMatchObject({ index: 1, field: 'severity', reason: { key: 'too_big', limit: 5 } });
    expect(await stored('preview-scrub')).toEqual([]);
  });

  it('imports an export without an id column (map.id empty) with ids from each record\'s content: the same file again is all duplicates', async () => {
    const rows = ['date;heure;nature;adresse;observations', '28/11/2026;21:14;Rixe;12 rue de Rome;deux individus', '28/11/2026;21:20;Vol à l’arraché;Vieux-Port;', '28/11/2026;21:20;Vol à l’arraché;Vieux-Port;', '28/11/2026;21:31;Cambriolage;La Plaine;"porte fracturée;\nalarme"'];
    const file = `\uFEFF${rows.join('\r\n')}\r\n`;
    const first = await ingest('csv', 'csu-noid', file, 'text/csv', '&map.id=&import=true');
    // The third record is the second one again, to the letter: one incident, its copy a duplicate.
    expect(first).toMatchObject({ status: 202, body: { accepted: 3, duplicates: 1, rejected: [] } });
    const events = await stored('csu-noid');
    expect(events.map((e) => e.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^csv-[0-9a-f]{32}$/)]));
    expect(events.map((e) => e.type).sort()).toEqual(['incident.burglary', 'incident.fight', 'incident.theft']);
    // Again, in other chunks, with other line endings and the columns in another order: all duplicates.
    const reordered = ['observations;nature;adresse;heure;date', ...rows.slice(1, 4).map((r) => { const c = r.split(';'); return [c[4], c[2], c[3], c[1], c[0]].join(';'); }), '"porte fracturée;\nalarme";Cambriolage;La Plaine;21:31;28/11/2026'];
    for (const part of [[reordered[0], reordered[1], reordered[2]], [reordered[0], reordered[3], reordered[4]]]) {
      expect((await ingest('csv', 'csu-noid', part.join('\n'), 'text/csv', '&map.id=&import=true')).body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    }
    expect((await ingest('csv', 'csu-noid', file, 'text/csv', '&map.id=&import=true')).body).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
    expect(await stored('csu-noid')).toHaveLength(3);
    // The default mapping still asks for its id column: an export without one is refused unless map.id is left empty.
    expect((await ingest('csv', 'csu-noid-default', file, 'text/csv')).body).toMatchObject({ error: { code: 'VIGIE_EVENT_INVALID' } });
  });
});

describe('a CSV export in a spreadsheet\'s encoding', () => {
  const text = 'numero;nature;horodatage;latitude;longitude;observations\nW1;Vol à l’arraché;2026-11-28T21:14:00+01:00;43.3;5.4;témoin à l’angle, 20 €\n';
  const cp1252 = (s: string) => Buffer.from([...s].map((c) => ({ '’': 0x92, '€': 0x80 } as Record<string, number>)[c] ?? c.charCodeAt(0)));
  const observations = async (source: string) => (await stored(source)).map((e) => [e.type, e.text]);

  it('a Windows-1252 file without a charset is read as one (not as UTF-8, which would lose its accents)', async () => {
    expect((await ingest('csv', 'csu-cp1252', cp1252(text), 'text/csv')).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await observations('csu-cp1252')).toEqual([['incident.theft', 'témoin à l’angle, 20 €']]);
    // The same incident sent again in UTF-8 is the same event: a duplicate.
    expect((await ingest('csv', 'csu-cp1252', text, 'text/csv; charset=utf-8')).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('a charset, in the Content-Type or as an option, is read as it says; one that does not fit the bytes, or is unknown, is refused with the reason', async () => {
    const latin9 = Buffer.from(text.replaceAll('’', "'").replace('€', '\u00a4'), 'latin1'); // ISO-8859-15 has € at 0xA4
    expect((await ingest('csv', 'csu-latin9', latin9, 'text/csv; charset=ISO-8859-15')).body).toMatchObject({ accepted: 1 });
    expect((await ingest('csv', 'csu-latin9b', latin9, 'text/csv', '&charset=iso-8859-15')).body).toMatchObject({ accepted: 1 });
    for (const source of ['csu-latin9', 'csu-latin9b']) expect(await observations(source)).toEqual([['incident.theft', "témoin à l'angle, 20 €"]]);
    const wrong = await ingest('csv', 'csu-wrong', cp1252(text), 'text/csv; charset=utf-8');
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED', message: expect.stringContaining('not valid utf-8') } } });
    const unknown = await ingest('csv', 'csu-wrong', text, 'text/csv; charset=klingon');
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED', message: expect.stringContaining('"klingon"') } } });
    expect(await stored('csu-wrong')).toEqual([]);
    // Kept as a dead letter (a mapping that does not fit), it is replayed in the charset it came in, with the corrected mapping.
    const other = Buffer.from('ref;kind;when;observations\nL1;Rixe;2026-11-28T21:14:00+01:00;20 \u00a4\n', 'latin1');
    const refused = await ingest('csv', 'csu-latin9c', other, 'text/csv; charset=iso-8859-15');
    expect(refused.status).toBe(400);
    const admin = await login(url, 'admin');
    const replay = await fetch(`${url}/api/v1/feeds/dead-letters/${refused.body.error.details.deadLetter}/replay`, {
      method: 'POST', headers: admin.headers, body: JSON.stringify({ options: { 'map.id': 'ref', 'map.time': 'when', 'map.type': 'kind' } }),
    });
    expect(await replay.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await observations('csu-latin9c')).toEqual([['incident.fight', '20 €']]);
    // The preview reads it the same way.
    const preview = await fetch(`${url}/api/v1/ingest/csv/preview?source=preview-cp1252`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'text/csv' }, body: cp1252(text) });
    expect(((await preview.json()) as { preview: { item?: { text?: string } }[] }).preview[0]!.item!.text).toBe('témoin à l’angle, 20 €');
  });
});

describe('feeds: configurations, polling, MQTT, health', () => {
  let gtfs: Server;
  const seen: { inm?: string; ims?: string; status: number }[] = [];
  beforeAll(async () => {
    gtfs = createServer((req, res) => {
      const inm = req.headers['if-none-match'], ims = req.headers['if-modified-since'];
      const status = inm === '"v1"' ? 304 : 200;
      seen.push({ inm, ims, status });
      if (status === 304) return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/x-protobuf', etag: '"v1"', 'last-modified': 'Sat, 28 Nov 2026 20:00:00 GMT' }).end(BULL);
    });
    await new Promise<void>((r) => gtfs.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => { await new Promise((r) => gtfs.close(r)); });

  it('lists a polled feed that never delivered, from its configuration on, with why its polls fail', async () => {
    const admin = await login(url, 'admin');
    const res = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id: 'dead', source: 'dead-poll', url: 'http://127.0.0.1:9/vp.pb', intervalSeconds: 3600 }) });
    expect(res.status).toBe(201);
    const health = async () => ((await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json()) as { feeds: { source: string; status: string; lastError: string | null }[] }).feeds.find((f) => f.source === 'dead-poll');
    const failing = await eventually(async () => ((await health())?.lastError ? health() : undefined), 15_000);
    expect(failing).toMatchObject({ status: 'no-data', lastError: expect.stringMatching(/ECONNREFUSED|connect/) });
    // Turned off, it is no longer a feed Vigie polls: not listed (it never delivered anything).
    const off = await fetch(`${url}/api/v1/feeds/dead`, { method: 'PUT', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', source: 'dead-poll', url: 'http://127.0.0.1:9/vp.pb', intervalSeconds: 3600, enabled: false }) });
    expect(off.status).toBe(200);
    expect(await health()).toBeUndefined();
  });

  it('polls a configured GTFS-RT URL on its interval with conditional requests', async () => {
    const admin = await login(url, 'admin');
    const feedUrl = `http://127.0.0.1:${(gtfs.address() as AddressInfo).port}/vehicle-positions.pb`;
    const bad = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id: 'bull', source: 'bull-poll', url: 'ftp://x', intervalSeconds: 1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues[0]!.field).toBe('url');
    // The machine itself and its link (cloud metadata) are refused, naming the field; 127.0.0.1 only is allowed on this node.
    for (const internal of ['http://localhost:3995/secret', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0:3995/']) {
      const refused = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id: 'internal', source: 's', url: internal }) });
      expect(refused.status, internal).toBe(400);
      expect(((await refused.json()) as { error: unknown }).error, internal).toMatchObject({
        code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^url: .* an? (loopback|link-local|cloud metadata|unspecified) (address|host): Vigie does not fetch feeds from it/),
        details: { issues: [{ field: 'url', reason: { key: 'invalid' } }] },
      });
    }
    // Turned off, it polls nothing: a configuration naming such a host (saved before this check) can still be turned off.
    const off = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id: 'internal-off', source: 's', url: 'http://localhost:3995/secret', enabled: false }) });
    expect(off.status).toBe(201);
    const created = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', id: 'bull', source: 'bull-poll', url: feedUrl, intervalSeconds: 1 }) });
    expect(created.status).toBe(201);
    // The same id again: refused, the id named with its reason (a form shows it beside the field).
    const again = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'mqtt', id: 'bull', source: 'other', format: 'siri', topic: 'a/b' }) });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { details: unknown } }).error.details).toMatchObject({ field: 'id', issues: [{ field: 'id', reason: { key: 'conflict' } }] });
    await eventually(async () => ((await stored('bull-poll')).length === 10 ? true : undefined), 15_000);
    await eventually(() => (seen.some((s) => s.status === 304) ? true : undefined), 15_000);
    expect(seen[0]).toMatchObject({ inm: undefined, status: 200 });
    expect(seen.find((s) => s.status === 304)).toMatchObject({ inm: '"v1"', ims: 'Sat, 28 Nov 2026 20:00:00 GMT' });
    // Unchanged (304) is an answer all the same: the feed's last message moves on, it is not taken for silent.
    const lastHeard = async () => ((await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json()) as { feeds: { source: string; lastReceivedAt: string }[] })
      .feeds.find((f) => f.source === 'bull-poll')!.lastReceivedAt;
    const firstStored = (await stored('bull-poll'))[0]!.receivedAt;
    await eventually(async () => ((await lastHeard()) > firstStored ? true : undefined), 15_000);
    // Turned off: no more polls.
    const put = await fetch(`${url}/api/v1/feeds/bull`, { method: 'PUT', headers: admin.headers, body: JSON.stringify({ kind: 'gtfs-rt-poll', source: 'bull-poll', url: feedUrl, intervalSeconds: 1, enabled: false }) });
    expect(put.status).toBe(200);
    const n = seen.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.length).toBeLessThanOrEqual(n + 1); // at most one already in flight
  });

  it('maps an MQTT topic to an adapter on the in-process broker', async () => {
    const admin = await login(url, 'admin');
    const res = await fetch(`${url}/api/v1/feeds`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ kind: 'mqtt', id: 'fiware-mqtt', source: 'fiware-mqtt', format: 'ngsi-ld', topic: 'city/+/ngsi' }) });
    expect(res.status).toBe(201);
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${node.vigie.feedService.broker!.port}`, { username: 'fiware', password: 'demo-feed-token' });
    try {
      await client.publishAsync('city/lighting/ngsi', sample('ngsi-ld-notification.json'), { qos: 1 });
      await client.publishAsync('city/lighting/ngsi', Buffer.from('{"data": [ truncated'), { qos: 1 });
      await eventually(async () => ((await stored('fiware-mqtt')).length === 3 ? true : undefined), 10_000);
      await eventually(() => (node.vigie.feedService.bridge!.counters.messages >= 2 ? true : undefined), 10_000);
      await node.vigie.feedService.bridge!.idle();
      const dls = await node.vigie.db.query<{ code: string }>("SELECT code FROM dead_letters WHERE source = 'fiware-mqtt' ORDER BY id");
      expect(dls.map((d) => d.code)).toEqual(['VIGIE_EVENT_INVALID', 'VIGIE_FEED_MALFORMED']);
    } finally {
      await client.endAsync();
    }
  });

  it('lets only feed tokens in the in-process broker: each publishes to the topics mapped to its sources, and none reads', async () => {
    const broker = `mqtt://127.0.0.1:${node.vigie.feedService.broker!.port}`;
    const before = (await stored('fiware-mqtt')).length;
    const refusal = async (opts: mqtt.IClientOptions) => {
      const c = mqtt.connect(broker, { ...opts, reconnectPeriod: 0 });
      const error = await new Promise<Error>((resolve) => c.once('error', resolve));
      c.end(true);
      return error.message;
    };
    expect(await refusal({})).toMatch(/Bad username or password/);
    expect(await refusal({ username: 'x', password: 'not-a-token' })).toMatch(/Bad username or password/);
    // A feed under the node's own client id would take over the bridge's session (and the messages queued for it).
    expect(await refusal({ username: 'x', password: 'demo-feed-token', clientId: 'vigie-anything', clean: false })).toMatch(/Identifier rejected/);

    // Signed in, a feed cannot read the others' messages (they hold personal data before pseudonymisation).
    const feed = await mqtt.connectAsync(broker, { username: 'fiware', password: 'demo-feed-token', reconnectPeriod: 0 });
    await expect(feed.subscribeAsync('#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    // A topic no feed maps: the message is refused, the only way MQTT 3.1.1 has, by closing the connection.
    const closed = new Promise<void>((resolve) => feed.once('close', () => resolve()));
    feed.publish('nobody/maps/this', JSON.stringify({ id: 'x', type: 'incident.other', time: new Date().toISOString() }), { qos: 1 });
    await closed;
    feed.end(true);
    // The broker's own topics are not a feed's, whatever a wildcard mapping says.
    const sys = await mqtt.connectAsync(broker, { username: 'fiware', password: 'demo-feed-token', reconnectPeriod: 0 });
    const sysClosed = new Promise<void>((resolve) => sys.once('close', () => resolve()));
    sys.publish('$SYS/fake', 'x', { qos: 1 });
    await sysClosed;
    sys.end(true);

    // A token for other sources may not publish to this source's topic.
    const admin = await login(url, 'admin');
    const made = await fetch(`${url}/api/v1/feed-tokens`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ name: 'autre', sources: ['autre-source'] }) });
    const { token } = (await made.json()) as { token: string };
    const other = await mqtt.connectAsync(broker, { username: 'autre', password: token, reconnectPeriod: 0 });
    const otherClosed = new Promise<void>((resolve) => other.once('close', () => resolve()));
    other.publish('city/lighting/ngsi', sample('ngsi-ld-notification.json'), { qos: 1 });
    await otherClosed;
    other.end(true);
    await node.vigie.feedService.bridge!.idle();
    expect((await stored('fiware-mqtt')).length).toBe(before);
  });

  it('reports each feed\'s health (rate, error rate, lag) and, to admins, the configurations', async () => {
    const admin = await login(url, 'admin');
    const body = await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json() as { feeds: Record<string, unknown>[]; configs: { id: string }[] };
    const fiware = body.feeds.find((f) => f.source === 'fiware')!;
    expect(fiware).toMatchObject({ status: 'ok', eventsLastHour: 3, ratePerMinute: 0.05, errorRate: 0.25 });
    expect(fiware.lagSeconds).toEqual(expect.any(Number));
    expect(body.configs.map((c) => c.id)).toEqual(['bull', 'dead', 'fiware-mqtt', 'internal-off']);
    expect((body as unknown as { formats: string[] }).formats).toEqual(['gtfs-rt', 'siri', 'siri-lite', 'cap', 'ngsi-ld', 'csv', 'events']); // what an MQTT mapping may name
    const op = await login(url, 'operator');
    expect(await (await fetch(`${url}/api/v1/feeds`, { headers: op.headers })).json()).not.toHaveProperty('configs');
  });

  it('counts, per feed, the events the rules saw out of time: later than the allowed lateness, or ahead of the clock', async () => {
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const odd = (id: string, time: string) => ({ ...assault(id, time), source: 'odd-time' });
    expect((await postEvents(url, [odd('odd-now', at(0))])).status).toBe(202);
    // 20 minutes old: 18 past the 2 minutes the rules wait; 15 minutes ahead: 10 past the 5 minutes of skew allowed.
    expect((await postEvents(url, [odd('odd-late', at(-20)), odd('odd-future', at(15))])).status).toBe(202);
    const admin = await login(url, 'admin');
    const feed = await eventually(async () => {
      const { feeds } = await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json() as { feeds: FeedHealth[] };
      const f = feeds.find((x) => x.source === 'odd-time');
      return f && f.lateLastHour === 1 && f.futureLastHour === 1 ? f : undefined;
    }, 10_000);
    expect(feed.lateMaxSeconds).toBeGreaterThanOrEqual(1075);
    expect(feed.lateMaxSeconds).toBeLessThanOrEqual(1085);
    expect(feed.futureMaxSeconds).toBeGreaterThanOrEqual(595);
    expect(feed.futureMaxSeconds).toBeLessThanOrEqual(605);
    // Every feed has the figures, zeros included.
    const { feeds } = await (await fetch(`${url}/api/v1/feeds`, { headers: admin.headers })).json() as { feeds: FeedHealth[] };
    for (const f of feeds) expect([f.lateLastHour, f.futureLastHour, f.lateMaxSeconds, f.futureMaxSeconds]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)]);
  });

  it('imports a GTFS static feed: stops with names, routes with shapes; the source\'s events at a stop are placed there', async () => {
    const admin = await login(url, 'admin');
    // Stored before the stops are known: without a position. Sent again once they are, they are the same events (placed now), not conflicts.
    const before = Buffer.from(encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_794_999_000 }, entity: [
      { id: 'gone', alert: { informedEntity: [{ stopId: '108' }], headerText: { translation: [{ text: 'Stop moved' }] } } },
      { id: 'loop', tripUpdate: { trip: { tripId: 'T9', startDate: '20261130' }, stopTimeUpdate: [{ stopSequence: 1, stopId: '102', scheduleRelationship: 'SKIPPED' }] } },
    ] }));
    expect((await ingest('gtfs-rt', 'bullrunner', before, 'application/x-protobuf')).body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const res = await fetch(`${url}/api/v1/feeds/gtfs-static?source=bullrunner`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/zip' }, body: readFileSync(sharedData('samples/bullrunner/bullrunner-gtfs.zip')) });
    expect(await res.json()).toEqual({ stops: 125, routes: 6, shapes: 6, rejected: [] });
    const { routes } = await (await fetch(`${url}/api/v1/feeds/gtfs-static/routes?source=bullrunner`, { headers: admin.headers })).json() as { routes: { shortName: string; longName: string; color: string; shapes: number[][][] }[] };
    expect(routes[0]).toMatchObject({ shortName: 'A', longName: 'Green Campus Loop', color: '#00573C' });
    expect(routes[0]!.shapes[0]!.length).toBeGreaterThan(100);
    const broken = await fetch(`${url}/api/v1/feeds/gtfs-static?source=bullrunner`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/zip' }, body: readFileSync(sharedData('samples/bullrunner/bullrunner-gtfs.zip')).subarray(0, 5000) });
    expect(broken.status).toBe(400);
    expect((await ingest('gtfs-rt', 'bullrunner', before, 'application/x-protobuf')).body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });

    // The source's delays, skipped stops and alerts at one of its stops are placed there; a position of their own is kept; another source's stop ids mean nothing here.
    const rt = encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [
      { id: 'late', tripUpdate: { trip: { tripId: 'T1', routeId: 'A' }, stopTimeUpdate: [{ stopSequence: 3, stopId: '102', arrival: { delay: 420 } }] } },
      { id: 'nowhere', tripUpdate: { trip: { tripId: 'T2', routeId: 'A' }, stopTimeUpdate: [{ stopSequence: 1, stopId: 'no-such-stop', arrival: { delay: 600 } }] } },
      { id: 'closed', alert: { informedEntity: [{ stopId: '108' }], headerText: { translation: [{ text: 'Stop closed' }] } } },
      { id: 'bus', vehicle: { vehicle: { id: 'B7' }, stopId: '101', position: { latitude: 28.06, longitude: -82.41 } } },
      { id: 'detour', tripUpdate: { trip: { tripId: 'T3', startDate: '20261130' }, stopTimeUpdate: [{ stopSequence: 2, stopId: '101', scheduleRelationship: 'SKIPPED' }] } },
    ] });
    expect((await ingest('gtfs-rt', 'bullrunner', Buffer.from(rt), 'application/x-protobuf')).status).toBe(202);
    const events = await stored('bullrunner');
    expect(events.find((e) => e.attributes?.tripId === 'T1')).toMatchObject({ type: 'transport.delay', location: { lat: 28.0592066452, lon: -82.4130123854 }, attributes: { stopName: 'Library LIB' } });
    expect(events.find((e) => e.attributes?.tripId === 'T2')!.location).toBeUndefined();
    expect(events.find((e) => e.type === 'transport.alert')).toMatchObject({ location: { lat: 28.0565201262, lon: -82.4101316929 }, attributes: { stopName: 'Alumni Center' } });
    expect(events.find((e) => e.attributes?.vehicleId === 'B7')!.location).toEqual({ lat: expect.closeTo(28.06, 5), lon: expect.closeTo(-82.41, 5) });
    expect(events.find((e) => e.attributes?.tripId === 'T3')).toMatchObject({ type: 'transport.stop.skipped', location: { lat: 28.0591746914, lon: -82.4134214222 }, attributes: { stopRef: 'bullrunner:101', stopName: 'Math & Engineering' } });
    expect(events.find((e) => e.attributes?.tripId === 'T9')!.location).toBeUndefined(); // as first stored
    expect((await ingest('gtfs-rt', 'other-operator', Buffer.from(rt), 'application/x-protobuf')).status).toBe(202);
    expect((await stored('other-operator')).filter((e) => e.location).map((e) => e.type)).toEqual(['transport.vehicle.position']);

    // Canonical events sent to POST /api/v1/events are placed too; sent again, duplicates.
    const post = (body: unknown) => fetch(`${url}/api/v1/events`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const incident = { id: 'inc-7', source: 'bullrunner', type: 'transport.incident', time: '2026-11-30T08:00:00Z', attributes: { stopId: '101' } };
    const own = { ...incident, id: 'inc-8', location: { lat: 28.05, lon: -82.4 } };
    expect(await (await post([incident, own])).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await (await post([incident, own])).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const posted = await stored('bullrunner');
    expect(posted.find((e) => e.id === 'inc-7')).toMatchObject({ location: { lat: 28.0591746914, lon: -82.4134214222 }, attributes: { stopId: '101', stopName: 'Math & Engineering' } });
    expect(posted.find((e) => e.id === 'inc-8')).toMatchObject({ location: { lat: 28.05, lon: -82.4 }, attributes: { stopId: '101' } });
    expect(posted.find((e) => e.id === 'inc-8')!.attributes).not.toHaveProperty('stopName');
    // A CSV export with a stop column (mapped: `map.stop`): its preview shows the rows placed, as the import stores them.
    const csv = 'numero;horodatage;nature;Arrêt;gravite\nC1;2026-11-30T09:14:00+01:00;Rixe;102;2\n';
    const preview = await (await fetch(`${url}/api/v1/ingest/csv/preview?source=bullrunner&map.stop=Arr%C3%AAt`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'text/csv' }, body: csv })).json() as { preview: { item?: { location?: unknown; attributes?: Record<string, unknown> } }[] };
    expect(preview.preview[0]!.item).toMatchObject({ location: { lat: 28.0592066452, lon: -82.4130123854 }, attributes: { stopId: '102', stopName: 'Library LIB' } });
    expect((await ingest('csv', 'bullrunner', csv, 'text/csv', '&import=true&map.stop=Arr%C3%AAt')).status).toBe(202);
    expect((await stored('bullrunner')).find((e) => e.id === 'C1')).toMatchObject({ location: preview.preview[0]!.item!.location, attributes: { stopName: 'Library LIB' } });

    // A new import drops stops 102 and 108 and renames 101: what was placed there, sent again unplaced or named otherwise, is the same events still.
    await storeGtfsStatic(node.vigie.db, 'bullrunner', { stops: [{ id: '101', name: 'Math & Engineering (MEG)', lat: 28.0591746914, lon: -82.4134214222 }], routes: [], rejected: [] });
    await node.vigie.feeds.reloadStops();
    expect((await ingest('gtfs-rt', 'bullrunner', Buffer.from(rt), 'application/x-protobuf')).body).toMatchObject({ accepted: 0, rejected: [] });
    expect(await (await post([incident])).json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('answers 2xx only once the events are committed', async () => {
    const body = encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [{ id: 'v', vehicle: { vehicle: { id: 'V1' }, position: { latitude: 43.3, longitude: 5.4 } } }] });
    const r = await ingest('gtfs-rt', 'commit-check', Buffer.from(body), 'application/x-protobuf');
    expect(r.status).toBe(202);
    expect((await node.vigie.db.query("SELECT 1 FROM events WHERE source = 'commit-check'")).length).toBe(1);
  });
});

describe('Open311 GeoReport v2', () => {
  it('lists services and takes a form-encoded request with api_key, pseudonymising the citizen', async () => {
    const services = await (await fetch(`${url}/open311/v2/services.json`)).json() as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('eclairage');
    const form = new URLSearchParams({ api_key: 'demo-feed-token', service_code: 'eclairage', lat: '43.2965', long: '5.3698', description: 'Lampadaire éteint, rappelez-moi au 06 12 34 56 78', email: 'jean.dupont@mail.fr', first_name: 'Jean', last_name: 'Dupont' });
    const res = await fetch(`${url}/open311/v2/requests.json`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [created] = await res.json() as { service_request_id: string }[];
    expect(created!.service_request_id).toMatch(/^o311-/);
    const json = await fetch(`${url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: 'demo-feed-token', service_code: 'depot-sauvage', address_string: '12 rue de la République' }) });
    expect(json.status).toBe(201);

    const list = await (await fetch(`${url}/open311/v2/requests.json?service_code=eclairage`)).json() as Record<string, unknown>[];
    expect(list).toEqual([expect.objectContaining({ service_request_id: created!.service_request_id, service_code: 'eclairage', status: 'open', lat: 43.2965, long: 5.3698, description: 'Lampadaire éteint, rappelez-moi au [phone]' })]);
    // GeoReport v2's lists, comma delimited: several service codes, several statuses.
    const both = await (await fetch(`${url}/open311/v2/requests.json?service_code=eclairage,depot-sauvage&status=open,closed`)).json() as Record<string, unknown>[];
    expect(both.map((r) => r.service_code).sort()).toEqual(['depot-sauvage', 'eclairage']);
    expect(await (await fetch(`${url}/open311/v2/requests.json?status=closed`)).json()).toEqual([]);
    expect((await fetch(`${url}/open311/v2/requests.json?status=open,later`)).status).toBe(400);
    const [e] = (await stored('open311')).filter((x) => x.id === created!.service_request_id);
    expect(e).toMatchObject({ type: 'lighting.fault', attributes: { email: expect.stringMatching(/^ps:demo:/), firstName: expect.stringMatching(/^ps:/), lastName: expect.stringMatching(/^ps:/) } });
    expect(JSON.stringify(e)).not.toMatch(/Dupont|jean\.dupont/i);

    // One request by its id (GET /requests/{id}.json), and by service_request_id whatever its age.
    const one = await fetch(`${url}/open311/v2/requests/${created!.service_request_id}.json`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual([expect.objectContaining({ service_request_id: created!.service_request_id, service_code: 'eclairage' })]);
    const byId = await (await fetch(`${url}/open311/v2/requests.json?service_request_id=${created!.service_request_id},o311-none`)).json() as Record<string, unknown>[];
    expect(byId.map((r) => r.service_request_id)).toEqual([created!.service_request_id]);
    const missing = await fetch(`${url}/open311/v2/requests/o311-none.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([{ code: 404, description: expect.stringContaining('service_request_id') }]);
  });

  it('answers errors as the specification says, naming the field', async () => {
    const post = (body: Record<string, string>) => fetch(`${url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams(body) });
    const noKey = await post({ service_code: 'eclairage', lat: '43.3', long: '5.4' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual([{ code: 401, description: expect.stringContaining('api_key') }]);
    const bad = await post({ api_key: 'demo-feed-token', service_code: 'nope', lat: '43.3', long: '5.4' });
    expect(await bad.json()).toEqual([{ code: 400, description: expect.stringContaining('service_code') }]);
    const nowhere = await post({ api_key: 'demo-feed-token', service_code: 'eclairage' });
    expect(await nowhere.json()).toEqual([{ code: 400, description: expect.stringContaining('lat') }]);
    const farAway = await post({ api_key: 'demo-feed-token', service_code: 'eclairage', lat: '123', long: '5' });
    expect(farAway.status).toBe(400);
    const broken = await fetch(`${url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual([{ code: 400, description: expect.stringContaining('not valid JSON') }]);
    const huge = await post({ api_key: 'demo-feed-token', service_code: 'eclairage', description: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual([{ code: 413, description: expect.stringContaining('64 kB') }]);
  });
});

describe('CAP 1.2 out', () => {
  const lint = xmllintAvailable();
  it('serves each alert as schema-valid CAP and lists them in Atom', async () => {
    expect((await postEvents(url, assault('cap-out-1'))).status).toBe(202);
    const op = await login(url, 'operator');
    const alert = await eventually(async () => {
      const { alerts } = await (await fetch(`${url}/api/v1/alerts`, { headers: op.headers })).json() as { alerts: Alert[] };
      return alerts[0];
    }, 10_000);
    const cap = await fetch(`${url}/api/v1/alerts/${alert.id}.cap`, { headers: op.headers });
    expect(cap.status).toBe(200);
    expect(cap.headers.get('content-type')).toContain('application/cap+xml');
    const xml = await cap.text();
    expect(xml).toContain(`<identifier>vigie-${alert.id}-v${alert.version}</identifier>`);
    if (lint) expect((await validateXml(xml, sharedData('schemas/cap-1.2.xsd'))).ok).toBe(true);
    const atom = await (await fetch(`${url}/api/v1/alerts.atom`, { headers: op.headers })).text();
    expect(atom).toContain(`/api/v1/alerts/${alert.id}.cap`);
    // The JSON route is untouched.
    expect((await (await fetch(`${url}/api/v1/alerts/${alert.id}`, { headers: op.headers })).json() as { alert?: Alert; id?: string })).toBeTruthy();
    expect((await fetch(`${url}/api/v1/alerts/nope.cap`, { headers: op.headers })).status).toBe(404);
    expect((await fetch(`${url}/api/v1/alerts.atom`)).status).toBe(401);
  });
});

describe('per-feed rate limits', () => {
  it('answers 429 with Retry-After once a feed token goes over its rate, other routes unaffected', async () => {
    const limited = await startNode({ VIGIE_FEED_RATE_LIMIT: '5' });
    try {
      const post = () => fetch(`${limited.url}/api/v1/ingest/gtfs-rt?source=bull`, { method: 'POST', headers: { ...TOKEN, 'content-type': 'application/x-protobuf' }, body: BULL });
      expect((await post()).status).toBe(202); // a full bucket takes one batch
      const over = await post();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await over.json()).toMatchObject({ error: { code: 'VIGIE_RATE_LIMITED' } });
    } finally {
      await limited.stop();
    }
  });
});

describe('feed health on the live link', () => {
  it('feed:health carries the figures of GET /api/v1/feeds: rate per minute, error rate, lag', { timeout: 30_000 }, async () => {
    const op = await login(url, 'operator');
    const socket = await liveClient(url, { cookie: op.cookie });
    try {
      let last: FeedHealth[] = [];
      socket.on('feed:health', (h) => (last = h));
      const time = new Date(Date.now() - 90_000).toISOString(); // received 90 s after it happened
      expect((await postEvents(url, [{ ...assault('live-health-1', time), source: 'live-health' }, { ...assault('live-health-2', time), source: 'live-health' }])).status).toBe(202);
      expect((await postEvents(url, [{ id: 'live-health-3', source: 'live-health', type: 'incident.theft', time: 'yesterday' }])).status).toBe(400);
      const mine = await eventually(() => last.find((f) => f.source === 'live-health'), 20_000);
      expect(mine).toMatchObject({ status: 'ok', eventsLastHour: 2 });
      expect(mine.ratePerMinute).toBeCloseTo(2 / 60, 2);
      expect(mine.lagSeconds).toBeGreaterThanOrEqual(89);
      const api = (await (await fetch(`${url}/api/v1/feeds`, { headers: op.headers })).json()) as { feeds: FeedHealth[] };
      const report = api.feeds.find((f) => f.source === 'live-health')!;
      expect(Object.keys(mine).sort()).toEqual(Object.keys(report).sort());
      expect(mine.errorRate).toBe(report.errorRate);
    } finally {
      socket.close();
    }
  });
});
