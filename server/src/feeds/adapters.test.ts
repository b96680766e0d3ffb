import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Event } from '@vigie/rules';
import { type Adapter, type Decoded, FeedFormatError, isoFrom } from './adapter.ts';
import { capAdapter } from './cap/cap-in.ts';
import { csvAdapter } from './csv/csv-adapter.ts';
import { localToIso } from './csv/local-time.ts';
import { encodeFeedMessage, gtfsRtAdapter } from './gtfs-rt/gtfs-rt-adapter.ts';
import { ngsiLdAdapter } from './ngsi-ld/ngsi-ld-adapter.ts';
import { siriAdapter, siriLiteAdapter } from './siri/siri-adapter.ts';
import { sharedData } from './test-data.ts';

const NOW = new Date('2026-11-28T20:30:00Z');
const ctx = { source: 'test-feed', now: NOW, timeZone: 'Europe/Paris' };
const sample = (name: string) => readFileSync(new URL(`./samples/${name}`, import.meta.url));
const decode = (a: Adapter, body: Buffer | Uint8Array | string) => a.decode(Buffer.from(body as Uint8Array), ctx);
/** Every decoded item must be a valid canonical event. */
function valid(d: Decoded) {
  for (const { item } of d.items) expect(Event.safeParse(item).error).toBeUndefined();
  return d.items.map((x) => x.item as Event);
}
const malformed = (a: Adapter, body: Buffer | string, message: RegExp) => expect(() => decode(a, body)).toThrow(expect.objectContaining({ constructor: FeedFormatError, message: expect.stringMatching(message) }));

describe('GTFS-Realtime', () => {
  const bull = readFileSync(sharedData('samples/bullrunner/bullrunner-vehicle-positions'));

  it('reads the real Bull Runner VehiclePositions feed (another operator, another continent)', () => {
    const d = decode(gtfsRtAdapter, bull);
    const events = valid(d);
    expect(events).toHaveLength(10);
    expect(d.rejected).toEqual([]);
    expect(events[0]).toMatchObject({ source: 'test-feed', type: 'transport.vehicle.position', time: '2017-09-13T14:52:55.000Z', attributes: { vehicleId: '1536', line: 'F' } });
    expect(events[0]!.location!.lat).toBeCloseTo(28.0662, 3);
    expect(new Set(events.map((e) => e.id)).size).toBe(10);
  });

  it('reads TripUpdates delays and Alerts, and rejects an entity it cannot use with its index', () => {
    const body = encodeFeedMessage({
      header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 },
      entity: [
        { id: 'tu1', tripUpdate: { trip: { tripId: 'T-83-1', routeId: '83' }, stopTimeUpdate: [{ stopId: 'S1', arrival: { delay: 420 } }] } },
        { id: 'tu2', tripUpdate: { trip: { tripId: 'T-83-2' }, stopTimeUpdate: [{ stopId: 'S1', scheduleRelationship: 'SCHEDULED' }] } },
        { id: 'al1', alert: { activePeriod: [{ start: 1_795_000_100 }], informedEntity: [{ routeId: 'M1' }], cause: 'POLICE_ACTIVITY', effect: 'NO_SERVICE', headerText: { translation: [{ text: 'Station fermée', language: 'fr' }] } } },
        { id: 'v-no-pos', vehicle: { vehicle: { id: 'x' } } },
        { id: 'tu3', tripUpdate: { trip: { tripId: 'T-83-3', routeId: '83', scheduleRelationship: 'CANCELED' } } },
        { id: 'al2', alert: { headerText: { translation: [{ text: 'Line closed', language: 'en' }, { text: 'Ligne fermée', language: 'fr-FR' }] } } },
        // A route first, then its stops: named by the first stop (placed there), every line and stop listed.
        { id: 'al3', alert: { informedEntity: [{ routeId: 'M2' }, { stopId: 'NOAILLES' }, { routeId: 'M1', stopId: 'CASTELLANE' }, { stopId: 'NOAILLES' }, { stopId: '' }], headerText: { translation: [{ text: 'Travaux' }] } } },
      ],
    });
    const d = decode(gtfsRtAdapter, body);
    const events = valid(d);
    expect(events.map((e) => e.type)).toEqual(['transport.delay', 'transport.alert', 'transport.cancellation', 'transport.alert', 'transport.alert']);
    expect(events[4]!.attributes).toMatchObject({ line: 'M2', lines: 'M2,M1', stopId: 'NOAILLES', stops: 'NOAILLES,CASTELLANE' });
    // Ids as Vigie gave them when it read the first informed entity only ("alert-al3-39876d963fdbdf3f" then): the same where
    // it reads an alert as it did, another where it reads more, so that an upgrade turns no stored alert into a conflict.
    expect([events[1]!.id, events[4]!.id]).toEqual(['alert-al1-937956d62d3046dd', 'alert-al3-17bb0d92898b9cdc']);
    expect(events[1]!.attributes).not.toHaveProperty('lines');
    expect(events[1]!.attributes).not.toHaveProperty('stops');
    expect(events[2]).toMatchObject({ severity: 2, attributes: { line: '83', tripId: 'T-83-3' } });
    expect(events[3]!.text).toBe('Ligne fermée');
    expect(events[0]!.attributes).toMatchObject({ delaySeconds: 420, line: '83', stopId: 'S1' });
    expect(events[1]).toMatchObject({ text: 'Station fermée', attributes: { line: 'M1', effect: 'NO_SERVICE' } });
    expect(d.rejected).toEqual([expect.objectContaining({ index: 3, error: expect.objectContaining({ field: 'vehicle.position', reason: { key: 'required' } }) })]);
    // A tracker without a fix sends 0,0: refused, not drawn in the Gulf of Guinea.
    const noFix = decode(gtfsRtAdapter, encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [{ id: 'v0', vehicle: { vehicle: { id: 'V0' }, position: { latitude: 0, longitude: 0 } } }] }));
    expect(noFix.rejected).toEqual([{ index: 0, error: expect.objectContaining({ field: 'vehicle.position', message: 'vehicle.position: at 0,0: a tracker without a fix', reason: { key: 'invalid' } }) }]);
  });

  it('reads a stop a trip skips as its own event, the same one in every snapshot of that trip and day; a cancelled trip is one cancellation', () => {
    const feed = (timestamp: number, trip: Record<string, unknown> = { startDate: '20261130' }) => encodeFeedMessage({
      header: { gtfsRealtimeVersion: '2.0', timestamp },
      entity: [{ id: 'tu', tripUpdate: {
        trip: { tripId: 'T-M2-9', routeId: 'M2', ...trip },
        stopTimeUpdate: [
          { stopSequence: 4, stopId: 'NOAILLES', scheduleRelationship: 'SKIPPED', arrival: { delay: 900 } },
          { stopSequence: 5, stopId: 'CASTELLANE', arrival: { delay: 240 } },
          { stopSequence: 6, scheduleRelationship: 'SKIPPED' }, // by its sequence only: no stop to place
          { stopSequence: 9, stopId: 'NOAILLES', scheduleRelationship: 'SKIPPED' }, // a loop passes it again
        ],
      } }],
    });
    const first = decode(gtfsRtAdapter, feed(1_795_000_000));
    const events = valid(first);
    expect(events.map((e) => e.type)).toEqual(['transport.stop.skipped', 'transport.stop.skipped', 'transport.delay']);
    expect(events[0]).toMatchObject({ severity: 2, attributes: { line: 'M2', tripId: 'T-M2-9', stopId: 'NOAILLES', stopRef: 'test-feed:NOAILLES', stopSequence: 4, serviceDay: '20261130' } });
    expect(events[1]!.id).not.toBe(events[0]!.id);
    // The delay is the next served stop's, not the skipped one's.
    expect(events[2]!.attributes).toMatchObject({ delaySeconds: 240, stopId: 'CASTELLANE' });
    expect(first.items[0]!.timeAssumed).toBe(true);
    const later = valid(decode(gtfsRtAdapter, feed(1_795_000_060)));
    expect(later[0]!.id).toBe(events[0]!.id);
    expect(later[2]!.id).not.toBe(events[2]!.id); // a delay is a reading of its time
    expect(valid(decode(gtfsRtAdapter, feed(1_795_000_000, { startDate: '20261130', scheduleRelationship: 'CANCELED' }))).map((e) => e.type)).toEqual(['transport.cancellation']);

    // Without a start date, the service day is the city's date (Europe/Paris) of the snapshot: the same trip skipping the same stop tomorrow is another event.
    const undated = (t: number) => valid(decode(gtfsRtAdapter, feed(t, {})));
    const night = Date.parse('2026-11-30T22:30:00Z') / 1000; // 23:30 in Paris, on the 30th
    expect(undated(night)[0]!.attributes).toMatchObject({ serviceDay: '20261130' });
    expect(undated(night + 3600)[0]!.attributes).toMatchObject({ serviceDay: '20261201' });
    expect(undated(night + 3600)[0]!.id).not.toBe(undated(night)[0]!.id);
    expect(undated(night + 600)[0]!.id).toBe(undated(night)[0]!.id);
    const cancelled = (t: number) => valid(decode(gtfsRtAdapter, feed(t, { scheduleRelationship: 'CANCELED' })))[0]!.id;
    expect(cancelled(night + 3600)).not.toBe(cancelled(night));
  });

  it('keeps a skipped stop\'s id within the 200 characters of an event id, however long the trip and stop ids', () => {
    const long = 'x'.repeat(150);
    const body = encodeFeedMessage({ header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 }, entity: [
      { id: 'tu', tripUpdate: { trip: { tripId: `${long}-1`, startDate: '20261130' }, stopTimeUpdate: [{ stopSequence: 1, stopId: `${long}-a`, scheduleRelationship: 'SKIPPED' }] } },
      { id: 'tu2', tripUpdate: { trip: { tripId: `${long}-1`, startDate: '20261130' }, stopTimeUpdate: [{ stopSequence: 1, stopId: `${long}-b`, scheduleRelationship: 'SKIPPED' }] } },
    ] });
    const d = decode(gtfsRtAdapter, body);
    const events = valid(d);
    expect(d.rejected).toEqual([]);
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.id.length <= 200)).toBe(true);
    expect(events[0]!.id).not.toBe(events[1]!.id);
  });

  it('gives an edited service alert a new id and the same alert polled again the same id; long ids stay distinct', () => {
    const feed = (text: string, id = 'al1') => encodeFeedMessage({
      header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 },
      entity: [{ id, alert: { activePeriod: [{ start: 1_795_000_100 }], informedEntity: [{ routeId: 'M1' }], headerText: { translation: [{ text, language: 'fr' }] } } }],
    });
    const idOf = (body: Uint8Array) => valid(decode(gtfsRtAdapter, body))[0]!.id;
    expect(idOf(feed('Station fermée'))).toBe(idOf(feed('Station fermée')));
    expect(idOf(feed('Station fermée jusqu’à 22 h'))).not.toBe(idOf(feed('Station fermée')));
    const long = 'urn:ngsi-ld:Streetlight:'.padEnd(130, 'x');
    expect(idOf(feed('a', `${long}-1`))).not.toBe(idOf(feed('a', `${long}-2`)));
    expect(idOf(feed('a', `${long}-1`)).length).toBeLessThanOrEqual(200);
  });

  it('refuses a truncated or foreign payload as a whole', () => {
    malformed(gtfsRtAdapter, bull.subarray(0, bull.length - 7), /GTFS-Realtime/);
    malformed(gtfsRtAdapter, Buffer.from('<?xml version="1.0"?><Siri/>'), /GTFS-Realtime/);
    malformed(gtfsRtAdapter, Buffer.alloc(0), /GTFS-Realtime/);
  });
});

describe('SIRI', () => {
  it('reads GeneralMessage and SituationExchange from SIRI 2.0 XML, rejecting a message without identifier', () => {
    const d = decode(siriAdapter, sample('siri-sx-gm.xml'));
    const events = valid(d);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'transport.message', id: 'gm-RTM:InfoMessage::4411:LOC-2', time: '2026-11-28T20:05:00.000Z', attributes: { line: 'RTM:Line::M1:LOC', channel: 'Perturbation' } });
    expect(events[0]!.text).toContain('trafic interrompu');
    expect(events[1]).toMatchObject({ type: 'transport.incident', severity: 3, time: '2026-11-28T19:50:00.000Z', attributes: { line: 'RTM:Line::M1:LOC', stopId: 'RTM:StopPoint:Q:CASTELLANE:LOC', reason: 'securityAlert' } });
    expect(d.rejected).toEqual([expect.objectContaining({ index: 1, error: expect.objectContaining({ field: 'InfoMessageIdentifier', reason: { key: 'required' } }) })]);
    // A situation on several lines (and networks) names them all; a very slight one is severity 1.
    const xml = sample('siri-sx-gm.xml').toString().replace('<AffectedLine><LineRef>RTM:Line::M1:LOC</LineRef></AffectedLine>\n              </AffectedNetwork>',
      '<AffectedLine><LineRef>RTM:Line::M1:LOC</LineRef></AffectedLine><AffectedLine><LineRef>RTM:Line::T2:LOC</LineRef></AffectedLine></AffectedNetwork><AffectedNetwork><AffectedLine><LineRef>RTM:Line::B1:LOC</LineRef></AffectedLine></AffectedNetwork>')
      .replace(/<Severity>\w+<\/Severity>/, '<Severity>verySlight</Severity>');
    expect(xml).toContain('RTM:Line::B1:LOC');
    const [, sx] = valid(decode(siriAdapter, xml));
    expect(sx).toMatchObject({ severity: 1, attributes: { line: 'RTM:Line::M1:LOC', lines: 'RTM:Line::M1:LOC,RTM:Line::T2:LOC,RTM:Line::B1:LOC' } });
  });

  it('takes a situation\'s stop name and position from its AffectedStopPoint, its id unchanged by them', () => {
    const plain = valid(decode(siriAdapter, sample('siri-sx-gm.xml')))[1]!;
    const xml = sample('siri-sx-gm.xml').toString().replace('<StopPointRef>RTM:StopPoint:Q:CASTELLANE:LOC</StopPointRef>',
      '<StopPointRef>RTM:StopPoint:Q:CASTELLANE:LOC</StopPointRef><StopPointName xml:lang="en">Castellane</StopPointName><StopPointName xml:lang="fr">Castellane (métro)</StopPointName>'
      + '<Location><Longitude>5.3831</Longitude><Latitude>43.2857</Latitude></Location>');
    const placed = valid(decode(siriAdapter, xml))[1]!;
    expect(placed).toMatchObject({ location: { lat: 43.2857, lon: 5.3831 }, attributes: { stopId: 'RTM:StopPoint:Q:CASTELLANE:LOC', stopName: 'Castellane (métro)' } });
    expect(placed.id).toBe(plain.id);
    // A Location that holds no position places nothing.
    const nowhere = valid(decode(siriAdapter, xml.replace('<Latitude>43.2857</Latitude>', '<Latitude>north</Latitude>')))[1]!;
    expect(nowhere.location).toBeUndefined();
    // Empty elements are nothing (an empty latitude is not 0), and such a situation is placed by nobody.
    const empty = decode(siriAdapter, xml.replace('<Latitude>43.2857</Latitude>', '<Latitude> </Latitude>').replace(/<StopPointName[^>]*>[^<]*<\/StopPointName>/g, '<StopPointName/>'));
    expect(valid(empty)[1]!.location).toBeUndefined();
    expect(valid(empty)[1]!.attributes).not.toHaveProperty('stopName');
    expect(empty.items.find((x) => (x.item as { type: string }).type === 'transport.incident')!.placed).toBeUndefined();
  });

  it('reads XML in the encoding its Content-Type or its declaration says, and refuses text that is not in it', () => {
    const utf8 = sample('siri-sx-gm.xml').toString();
    expect(utf8).toContain('trafic interrompu');
    const text = (d: ReturnType<typeof decode>) => (valid(d)[0]!.text);
    const marked = utf8.replace('trafic interrompu', 'trafic interrompu à Réformés, l’œuvre à 2 €');
    // Declared Latin-1: "à" and "é" are one byte each, read as such.
    // windows-1252 bytes: ’ is 0x92, œ 0x9C, € 0x80 (Node before 22 reads them as control characters under a Latin-1 label).
    const cp1252 = (text: string) => Buffer.from([...text].map((c) => ({ '’': 0x92, 'œ': 0x9c, '€': 0x80 })[c] ?? c.charCodeAt(0)));
    const latin1 = cp1252(marked.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>'));
    expect(text(decode(siriAdapter, latin1))).toContain('à Réformés, l’œuvre à 2 €');
    // The Content-Type's charset says it, the declaration not.
    const undeclared = cp1252(marked.replace(/^<\?xml[^>]*\?>/, ''));
    expect(text(siriAdapter.decode(undeclared, { ...ctx, options: { charset: 'iso-8859-1' } }))).toContain('à Réformés, l’œuvre à 2 €');
    // Said to be UTF-8 (or not said), Latin-1 bytes are refused, not stored as "�".
    malformed(siriAdapter, undeclared, /not valid utf-8 text \(XML without an encoding declaration is UTF-8\)/);
    expect(() => siriAdapter.decode(latin1, { ...ctx, options: { charset: 'utf-8' } })).toThrow(/not valid utf-8 text, as its Content-Type says/);
    expect(() => siriAdapter.decode(latin1, { ...ctx, options: { charset: 'klingon' } })).toThrow(/encoding "klingon" is not one this server reads/);
    expect(text(decode(siriAdapter, Buffer.from(marked)))).toContain('à Réformés, l’œuvre à 2 €');
  });

  it('reads SIRI Lite JSON', () => {
    const events = valid(decode(siriLiteAdapter, sample('siri-lite-gm.json')));
    expect(events).toEqual([expect.objectContaining({ type: 'transport.message', text: 'Tram T2 : arrêt Canebière-Capucins non desservi.', attributes: expect.objectContaining({ line: 'RTM:Line::T2:LOC' }) })]);
  });

  it('refuses truncated XML, another document and broken JSON', () => {
    const xml = sample('siri-sx-gm.xml').toString();
    malformed(siriAdapter, xml.slice(0, xml.length / 2), /malformed XML/);
    malformed(siriAdapter, '<Siri><ServiceDelivery>', /^malformed XML: the body ends with <Siri>, <ServiceDelivery> still open \(truncated\?\)$/);
    malformed(siriAdapter, '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', /root element must be <Siri>/);
    malformed(siriAdapter, '<!DOCTYPE x [<!ENTITY a "b">]><Siri/>', /DOCTYPE/);
    malformed(siriLiteAdapter, '{"Siri": {"ServiceDelivery": ', /not valid JSON/);
    malformed(siriLiteAdapter, '{"Siri": 3}', /"Siri" is missing/);
  });
});

describe('CAP 1.2 in', () => {
  it('turns each info into a warning event and its areas into temporary zones until it expires', () => {
    const d = decode(capAdapter, sample('cap-meteo-orages.xml'));
    const [e] = valid(d);
    expect(e).toMatchObject({ type: 'event.warning.met', severity: 4, time: '2026-11-28T20:00:00.000Z', attributes: { event: 'Vigilance orange orages', areas: 2 } });
    expect(d.zones).toHaveLength(2);
    // It says it expires in 2099: its zones last 31 days from their reception, the event keeps the end it gave.
    expect(d.zones![0]).toMatchObject({ name: 'Vigilance orange orages · Marseille centre', expiresAt: '2026-12-29T20:30:00.000Z', geometry: { type: 'Polygon' } });
    expect(e!.attributes).toMatchObject({ expires: '2099-11-29T05:00:00.000Z' });
    expect(d.zones![0]!.geometry.coordinates[0]![0]).toEqual([5.36, 43.3]); // lon, lat
    const circle = d.zones![1]!.geometry.coordinates[0]!;
    expect(circle).toHaveLength(33);
    expect(circle[0]).toEqual(circle[32]);
    // A warning that ends sooner keeps its end.
    const soon = decode(capAdapter, sample('cap-meteo-orages.xml').toString().replace('2099-11-29T06:00:00+01:00', '2026-11-29T06:00:00+01:00'));
    expect(soon.zones![0]!.expiresAt).toBe('2026-11-29T05:00:00.000Z');
    // An onset far ahead does not carry the zones further: they are in force from now.
    const far = decode(capAdapter, sample('cap-meteo-orages.xml').toString().replace('2026-11-28T21:00:00+01:00', '2098-12-01T00:00:00+01:00'));
    expect(far.zones![0]!.expiresAt).toBe('2026-12-29T20:30:00.000Z');
  });

  it('keeps a circle near a pole within the valid longitudes, and refuses a polygon of more than 20 000 points', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    const polar = decode(capAdapter, xml.replace(/<circle>[^<]*<\/circle>/, '<circle>89.9,5.38 1000</circle>'));
    for (const [lon, lat] of polar.zones![1]!.geometry.coordinates[0]!) expect(Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90).toBe(true);
    const huge = Array.from({ length: 20_001 }, (_, i) => `${43.3 + Math.sin(i) / 100},${5.37 + Math.cos(i) / 100}`).join(' ');
    const d = decode(capAdapter, xml.replace(/<polygon>[^<]*<\/polygon>/, `<polygon>${huge}</polygon>`));
    expect(d.zones).toHaveLength(1); // the circle
    expect(valid(d)[0]!.attributes).toMatchObject({ unreadableAreas: 1 });
  });

  it('reads one language of a warning sent in several (the French one), and a Cancel as a warning lifted, not a new one', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    const info = xml.slice(xml.indexOf('<info>'), xml.indexOf('</info>') + 7);
    const english = info.replace('<language>fr-FR</language>', '<language>en-GB</language>').replace('Vigilance orange orages', 'Orange thunderstorm warning');
    const both = xml.replace(info, `${english}${info}`);
    const d = decode(capAdapter, both);
    expect(valid(d).map((e) => e.attributes?.event)).toEqual(['Vigilance orange orages']);
    expect(d.items.map((x) => x.index)).toEqual([1]);
    expect(d.zones).toHaveLength(2);
    const cancel = decode(capAdapter, xml.replace(/<msgType>\w+<\/msgType>/, '<msgType>Cancel</msgType><references>meteo,X-1,2026-11-28T20:00:00+01:00</references>'));
    const sent = /<sent>(.*)<\/sent>/.exec(xml)![1]!;
    expect(valid(cancel)).toEqual([expect.objectContaining({ type: 'event.warning_lifted.met', severity: 1, time: new Date(sent).toISOString() })]);
    expect(cancel.zones).toEqual([]);
  });

  it('gives an area named only by its codes (a département, as Météo-France sends) as a coded area, and a shape before codes', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    const areas = xml.slice(xml.indexOf('<area>'), xml.lastIndexOf('</area>') + 7);
    const coded = xml.replace(areas, `<area><areaDesc>Bouches-du-Rhône</areaDesc><geocode><valueName>NUTS3</valueName><value>FRL04</value></geocode><geocode><valueName>departement</valueName><value> 13 </value></geocode></area>
      <area><areaDesc>Vélodrome</areaDesc><circle>43.2698,5.3959 1.5</circle><geocode><valueName>departement</valueName><value>13</value></geocode></area><area><areaDesc>Nulle part</areaDesc></area>`);
    const d = decode(capAdapter, coded);
    expect(d.zones!.map((z) => z.name)).toEqual(['Vigilance orange orages · Vélodrome']);
    expect(d.codedAreas).toEqual([{ id: expect.stringMatching(/#0-1$/), name: 'Vigilance orange orages · Bouches-du-Rhône', codes: ['NUTS3=FRL04', 'departement=13'], expiresAt: '2026-12-29T20:30:00.000Z' }]);
    expect(valid(d)[0]!.attributes).toMatchObject({ areas: 2, zoneIds: `${d.zones![0]!.id},${d.codedAreas![0]!.id}` });
    expect(decode(capAdapter, coded.replace('<status>Actual</status>', '<status>Exercise</status>')).codedAreas).toBeUndefined();
  });

  it('gives no zone for an exercise, and refuses a message without its required elements', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    expect(decode(capAdapter, xml.replace('<status>Actual</status>', '<status>Exercise</status>')).zones).toEqual([]);
    malformed(capAdapter, xml.replace(/<sent>.*<\/sent>/, ''), /alert\.sent is required/);
    malformed(capAdapter, xml.slice(0, 300), /malformed XML/);
    const noEvent = decode(capAdapter, xml.replace(/<event>.*<\/event>/, ''));
    expect(noEvent.rejected).toEqual([expect.objectContaining({ index: 0, error: expect.objectContaining({ field: 'info.event' }) })]);
    malformed(capAdapter, xml.replace('<status>Actual</status>', '<status>Bogus</status>'), /alert\.status must be one of Actual, Exercise, System, Test, Draft, not "Bogus"/);
    malformed(capAdapter, xml.replace(/<msgType>\w+<\/msgType>/, '<msgType>Warning</msgType>'), /alert\.msgType must be one of/);
  });

  it('refuses an info whose shapes cannot be read, naming the first, when nothing else places it; else counts them', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    const polygon = /<polygon>[^<]*<\/polygon>/, circle = /<circle>[^<]*<\/circle>/;
    for (const [badPolygon, badCircle, field] of [
      ['<polygon>43.30,5.36 43.30,5.39</polygon>', '<circle>43.2698,5.3959 -5</circle>', 'info.area.polygon'],
      ['<polygon>abc</polygon>', '<circle>43.2698,5.3959 99999</circle>', 'info.area.polygon'],
    ] as const) {
      const d = decode(capAdapter, xml.replace(polygon, badPolygon).replace(circle, badCircle));
      expect(d.items).toEqual([]);
      expect(d.zones).toEqual([]);
      expect(d.rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_VALIDATION', field, reason: { key: 'format' } }) }]);
    }
    // One shape unreadable beside a good one: the warning stands on the good one, and says how many were not read.
    const half = decode(capAdapter, xml.replace(polygon, '<polygon>abc</polygon>'));
    expect(half.zones).toHaveLength(1);
    expect(valid(half)[0]!.attributes).toMatchObject({ areas: 1, unreadableAreas: 1 });
    // A circle of radius 0 is a point (CAP's way to give one): the warning placed there, no zone drawn.
    const point = decode(capAdapter, xml.replace(polygon, '').replace(circle, '<circle>43.2698,5.3959 0</circle>'));
    expect(point.zones).toEqual([]);
    expect(valid(point)[0]!.location).toEqual({ lat: 43.2698, lon: 5.3959 });
    // A circle's numbers as JavaScript writes them (1e-7) are numbers too.
    expect(decode(capAdapter, xml.replace(circle, '<circle>43.2698,5e-7 1.5</circle>')).zones).toHaveLength(2);
  });

  it('reads a category outside CAP\'s list as "other", not as a type of its own', () => {
    const xml = sample('cap-meteo-orages.xml').toString();
    expect(valid(decode(capAdapter, xml.replace('<category>Met</category>', '<category>Weather</category>')))[0]!.type).toBe('event.warning.other');
    expect(valid(decode(capAdapter, xml.replace('<category>Met</category>', '<category> security </category>')))[0]!.type).toBe('event.warning.security');
  });
});

describe('NGSI-LD notifications', () => {
  it('reads FIWARE Streetlight, CrowdFlowObserved and Alert entities and rejects unknown types with their index', () => {
    const d = decode(ngsiLdAdapter, sample('ngsi-ld-notification.json'));
    const events = valid(d);
    expect(events.map((e) => e.type)).toEqual(['lighting.fault', 'crowd.congestion', 'accident.car_accident']);
    expect(events[0]).toMatchObject({ time: '2026-11-28T19:02:00.000Z', location: { lat: 43.2965, lon: 5.3698 }, attributes: { lampId: 'LUM-13001-0042', status: 'defectiveLamp' } });
    expect(events[1]!.attributes).toMatchObject({ peopleCount: 4200, congested: true });
    expect(events[2]).toMatchObject({ severity: 4, text: 'Collision voiture scooter, un blessé' });
    expect(d.rejected).toEqual([expect.objectContaining({ index: 3, error: expect.objectContaining({ field: 'data.type' }) })]);
  });

  it('refuses an entity whose type is a name every object has (__proto__, constructor …) and keeps its siblings', () => {
    const light = { id: 'urn:ngsi-ld:Streetlight:L1', type: 'Streetlight', status: 'defectiveLamp', dateModified: '2026-11-28T19:00:00Z' };
    for (const type of ['__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'toString']) {
      const body = `{"data": [${JSON.stringify(light)}, {"id": "urn:x:1", "type": ${JSON.stringify(type)}}]}`;
      const d = decode(ngsiLdAdapter, body);
      expect(valid(d).map((e) => e.type)).toEqual(['lighting.fault']);
      expect(d.rejected).toEqual([expect.objectContaining({ index: 1, error: expect.objectContaining({ field: 'data.type', message: expect.stringContaining(`unsupported entity type "${type}"`) }) })]);
    }
    // A severity named like an object's own property is no severity, not a function.
    const alert = { id: 'urn:ngsi-ld:Alert:A1', type: 'Alert', category: 'traffic', subCategory: 'carAccident', severity: 'constructor', dateIssued: '2026-11-28T19:00:00Z' };
    const [e] = valid(decode(ngsiLdAdapter, JSON.stringify({ data: [alert] })));
    expect(e!.severity).toBeUndefined();
  });

  it('reads what real FIWARE entities hold: typed dates, intervals, lines, polygons, several locations; an unreadable time or place is named, not fatal', () => {
    const flow = (location: unknown, dateObserved: unknown = '2018-08-07T11:10:00Z') =>
      ({ id: 'urn:ngsi-ld:CrowdFlowObserved:C1', type: 'CrowdFlowObserved', dateObserved, congested: true, location });
    const line = { type: 'LineString', coordinates: [[5.36, 43.29], [5.38, 43.31]] };
    const d = decode(ngsiLdAdapter, JSON.stringify({ notifiedAt: '2026-11-28T20:00:00Z', data: [
      flow({ type: 'GeoProperty', value: line }, { type: 'Property', value: { '@type': 'DateTime', '@value': '2018-08-07T11:10:00Z' } }),
      flow({ type: 'GeoProperty', value: { type: 'Point', coordinates: ['5.37', 43.3] } }),
      flow(line, '2018-08-07T11:10:00/2018-08-07T11:15:00'),
      flow({ type: 'Polygon', coordinates: [[[5.3, 43.2], [5.4, 43.2], [5.4, 43.4], [5.3, 43.2]]] }, 'demain'),
      flow([{ type: 'GeoProperty', datasetId: 'urn:a', value: { type: 'Point', coordinates: [5.1, 43.1] } }, { type: 'GeoProperty', datasetId: 'urn:b', value: { type: 'Point', coordinates: [5.2, 43.2] } }]),
      flow({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [5.0, 43.0] }, line] }, '1'),
    ] }));
    expect(d.rejected).toEqual([]);
    const events = valid(d);
    expect(events.map((e) => e.location)).toEqual([{ lat: 43.3, lon: 5.37 }, undefined, { lat: 43.3, lon: 5.37 }, { lat: 43.3, lon: expect.closeTo(5.35, 9) }, { lat: 43.1, lon: 5.1 }, { lat: expect.closeTo(43.155, 9), lon: expect.closeTo(5.19, 9) }]);
    // The interval has no offset: the city's time (summer, UTC+2).
    expect(events.map((e) => e.time)).toEqual(['2018-08-07T11:10:00.000Z', '2018-08-07T11:10:00.000Z', '2018-08-07T09:10:00.000Z', '2026-11-28T20:00:00.000Z', '2018-08-07T11:10:00.000Z', '2026-11-28T20:00:00.000Z']);
    expect(events.map((e) => e.attributes?.unreadable)).toEqual([undefined, 'location', undefined, 'dateObserved', undefined, 'dateObserved']);
    // Without a time of its own, the entry names its entity (a repeat of its last state is a duplicate, see redelivery.test.ts).
    expect(d.items.map((x) => x.entity)).toEqual([undefined, undefined, undefined, 'urn:ngsi-ld:CrowdFlowObserved:C1', undefined, 'urn:ngsi-ld:CrowdFlowObserved:C1']);
  });

  it('reads an entity whose attributes are named in full (a notification not compacted)', () => {
    const base = 'https://smartdatamodels.org/dataModel.Alert/';
    const alert = { id: 'urn:ngsi-ld:Alert:X1', type: `${base}Alert`, [`${base}category`]: { type: 'Property', value: 'security' }, [`${base}subCategory`]: { type: 'Property', value: 'robbery' },
      [`${base}severity`]: { type: 'Property', value: 'high' }, [`${base}dateIssued`]: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-11-28T19:00:00Z' } },
      'https://uri.etsi.org/ngsi-ld/location': { type: 'GeoProperty', value: { type: 'Point', coordinates: [5.37, 43.3] } } };
    const [e] = valid(decode(ngsiLdAdapter, JSON.stringify({ data: [alert] })));
    expect(e).toMatchObject({ type: 'incident.robbery', severity: 4, time: '2026-11-28T19:00:00.000Z', location: { lat: 43.3, lon: 5.37 } });
  });

  it('types a traffic jam or road works as transport, an accident as one; a street light notified without its status is neither a fault nor a repair', () => {
    const alert = (subCategory: string) => ({ id: `urn:ngsi-ld:Alert:${subCategory}`, type: 'Alert', category: 'traffic', subCategory, dateIssued: '2026-11-28T19:00:00Z' });
    const light = { id: 'urn:ngsi-ld:Streetlight:L9', type: 'Streetlight', powerState: 'off', dateModified: '2026-11-28T19:00:00Z' };
    const events = valid(decode(ngsiLdAdapter, JSON.stringify({ data: [alert('trafficJam'), alert('roadWorks'), alert('carAccident'), alert('injuredBiker'), light] })));
    expect(events.map((e) => e.type)).toEqual(['transport.road.traffic_jam', 'transport.road.road_works', 'accident.car_accident', 'accident.injured_biker', 'lighting.update']);
  });

  it('refuses what is not a notification', () => {
    malformed(ngsiLdAdapter, '{"type":"Notification"}', /"data" must be an array/);
    malformed(ngsiLdAdapter, '{"data": [', /not valid JSON/);
  });
});

describe('CSV (the CCTV centre\'s main courante export)', () => {
  it('maps the columns, keeps the rest as attributes and rejects each bad row with its index', () => {
    const d = decode(csvAdapter, sample('main-courante.csv'));
    const events = valid(d);
    expect(events.map((e) => e.id)).toEqual(['MC-2026-004211', 'MC-2026-004212', 'MC-2026-004214']);
    expect(events[0]).toMatchObject({ type: 'incident.assault', time: '2026-11-28T20:14:00.000Z', location: { lat: 43.2986, lon: 5.3772 }, severity: 3, attributes: { adresse: 'Cours Belsunce', agent: 'OP12' } });
    expect(events[2]).toMatchObject({ type: 'incident.other', attributes: { nature: 'Chien errant' } });
    expect(d.rejected.map((r) => [r.index, r.error.field])).toEqual([[2, 'date'], [4, 'numero']]);
  });

  it('takes another mapping, and refuses malformed CSV', () => {
    const d = csvAdapter.decode(Buffer.from('ref,when,kind\nA1,2026-11-28T21:00:00+01:00,accident.bike\n'), { ...ctx, options: { 'map.id': 'ref', 'map.time': 'when', 'map.type': 'kind' } });
    expect(valid(d)).toEqual([expect.objectContaining({ id: 'A1', type: 'accident.bike', time: '2026-11-28T20:00:00.000Z' })]);
    malformed(csvAdapter, 'a;b\n"1;2\n', /malformed CSV/);
    malformed(csvAdapter, 'a;b\n1;2;3\n', /malformed CSV/);
  });

  it('takes a transit stop column only when mapped: its stop id, not an attribute of its own; unmapped, the column stays the attribute it was', () => {
    const csv = 'numero;horodatage;nature;Arrêt\nT1;2026-11-28T21:00:00+01:00;Rixe; 0042 \nT2;2026-11-28T21:05:00+01:00;Rixe;\n';
    const mapped = valid(csvAdapter.decode(Buffer.from(csv), { ...ctx, options: { 'map.stop': 'Arrêt' } }));
    expect(mapped.map((e) => e.attributes)).toEqual([{ stopId: '0042' }, {}]);
    // A file imported before the field existed reads as it did then (sent again, its records are duplicates).
    expect(valid(decode(csvAdapter, csv)).map((e) => e.attributes)).toEqual([{ arret: '0042' }, {}]);
  });

  it('names the field a record lacks by what it is for when its column is not mapped', () => {
    const d = csvAdapter.decode(Buffer.from('ref,when,kind\nA1,2026-11-28T21:00:00+01:00,accident.bike\n'), { ...ctx, options: { 'map.id': 'ref', 'map.time': 'when', 'map.type': '' } });
    expect(d.rejected).toEqual([expect.objectContaining({ index: 0, error: expect.objectContaining({ field: 'type' }) })]);
  });

  it('derives the id of a record from its whole content when no column is the id (map.id empty)', () => {
    const opts = { 'map.id': '', 'map.time': 'when', 'map.type': 'kind' };
    const ids = (csv: string) => valid(csvAdapter.decode(Buffer.from(csv), { ...ctx, options: opts })).map((e) => e.id);
    const [a, b] = ids('when;kind;obs\n2026-11-28T21:00:00+01:00;Rixe;x\n2026-11-28T21:00:00+01:00;Rixe;y\n');
    expect(a).toMatch(/^csv-[0-9a-f]{32}$/);
    expect(b).not.toBe(a); // any column counts, mapped or not
    // The columns in another order, spaces around values, CRLF: the same ids.
    expect(ids('obs ; kind;when\r\n x;Rixe ;2026-11-28T21:00:00+01:00\r\n')).toEqual([a]);
    // The mapping does not change it either.
    expect(valid(csvAdapter.decode(Buffer.from('when;kind;obs\n2026-11-28T21:00:00+01:00;Rixe;x\n'), { ...ctx, options: { ...opts, 'map.text': 'obs' } }))[0]!.id).toBe(a);
  });

  it('knows the main courante\'s usual natures, whatever the apostrophe', () => {
    const types = valid(decode(csvAdapter, 'numero;nature;horodatage\n1;Vol à l’arraché;2026-11-28T21:00:00+01:00\n2;vol a l\'arrache;2026-11-28T21:00:00+01:00\n3;Cambriolage;2026-11-28T21:00:00+01:00\n4;Violences  volontaires;2026-11-28T21:00:00+01:00\n5;Rixe;2026-11-28T21:00:00+01:00\n')).map((e) => e.type);
    expect(types).toEqual(['incident.theft', 'incident.theft', 'incident.burglary', 'incident.assault', 'incident.fight']);
  });

  it('takes a nature or column named like an object\'s own property (constructor, __proto__) as plain text', () => {
    const d = decode(csvAdapter, 'numero;nature;horodatage\nA1;constructor;2026-11-28T21:00:00+01:00\nA2;__proto__;2026-11-28T21:00:00+01:00\nA3;toString;2026-11-28T21:00:00+01:00\n');
    expect(valid(d).map((e) => [e.id, e.type, e.attributes?.nature])).toEqual([['A1', 'incident.other', 'constructor'], ['A2', 'incident.other', '__proto__'], ['A3', 'incident.other', 'toString']]);
    expect(d.rejected).toEqual([]);
    // A mapping to a column the file does not have finds nothing, not Object.prototype's members.
    const m = csvAdapter.decode(Buffer.from('ref;when;kind\nA1;2026-11-28T21:00:00+01:00;vol\n'), { ...ctx, options: { 'map.id': 'constructor', 'map.time': 'when', 'map.type': 'kind', 'map.text': 'toString', 'map.severity': 'valueOf' } });
    expect(m.items).toEqual([]);
    expect(m.rejected).toEqual([expect.objectContaining({ index: 0, error: expect.objectContaining({ field: 'constructor', reason: { key: 'required' } }) })]);
    const t = csvAdapter.decode(Buffer.from('ref;when;kind\nA1;2026-11-28T21:00:00+01:00;vol\n'), { ...ctx, options: { 'map.id': 'ref', 'map.time': 'when', 'map.type': 'kind', 'map.text': 'toString', 'map.severity': 'valueOf', 'map.lat': 'hasOwnProperty', 'map.lon': 'isPrototypeOf' } });
    expect(valid(t)).toEqual([expect.objectContaining({ id: 'A1', type: 'incident.theft' })]);
    expect(valid(t)[0]).not.toHaveProperty('text');
    expect(valid(t)[0]).not.toHaveProperty('severity');
  });

  it('reads CAP, SIRI and GTFS-RT severities named like an object\'s own property as unknown', () => {
    const cap = sample('cap-meteo-orages.xml').toString().replace(/<severity>\w+<\/severity>/, '<severity>constructor</severity>');
    expect(valid(decode(capAdapter, cap))[0]!.severity).toBe(1);
    const siri = sample('siri-sx-gm.xml').toString().replace(/<Severity>\w+<\/Severity>/, '<Severity>constructor</Severity>');
    expect(valid(decode(siriAdapter, siri)).find((e) => e.type === 'transport.incident')!.severity).toBe(2);
  });

  it('reads local times in the city\'s zone across daylight saving', () => {
    expect(localToIso('28/06/2026', '12:00', 'Europe/Paris')).toBe('2026-06-28T10:00:00.000Z');
    expect(localToIso('28/11/2026', '12:00', 'Europe/Paris')).toBe('2026-11-28T11:00:00.000Z');
    expect(localToIso('31/02/2026', '12:00', 'Europe/Paris')).toBeUndefined();
    // The night clocks go back, 02:30 comes twice: the first (summer time) is taken; the night they go forward, 02:30 does not exist: 03:30.
    expect(localToIso('25/10/2026', '02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
    expect(localToIso('25/10/2026', '03:30', 'Europe/Paris')).toBe('2026-10-25T02:30:00.000Z');
    expect(localToIso('25/10/2026', '01:30', 'Europe/Paris')).toBe('2026-10-24T23:30:00.000Z');
    expect(localToIso('29/03/2026', '02:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
    // Where the clocks skip midnight (Havana, 00:00 → 01:00), a day's 00:00 is its first instant, 01:00, not the evening before.
    expect(localToIso('08/03/2026', '00:00', 'America/Havana')).toBe('2026-03-08T05:00:00.000Z');
    expect(localToIso('2026-11-28T12:00:00+05:00', undefined, 'Europe/Paris')).toBe('2026-11-28T07:00:00.000Z');
    // A day that does not exist is refused, with an offset too (Date reads 30 February as 2 March).
    expect(localToIso('2026-02-30T10:00:00Z', undefined, 'Europe/Paris')).toBeUndefined();
    expect(isoFrom('2026-02-30T10:00:00+01:00', 'Europe/Paris')).toBeUndefined();
    expect(isoFrom('2026-04-31 10:00:00', 'Europe/Paris')).toBeUndefined();
    expect(isoFrom('2024-02-29T10:00:00Z', 'Europe/Paris')).toBe('2024-02-29T10:00:00.000Z');
  });

  it('reads a standard feed\'s time without an offset in the city\'s zone, whatever the server\'s, and refuses what is no date', () => {
    expect(isoFrom('2026-11-28T21:14:05', 'Europe/Paris')).toBe('2026-11-28T20:14:05.000Z');
    expect(isoFrom('2026-06-28 21:14:05.25', 'Europe/Paris')).toBe('2026-06-28T19:14:05.250Z');
    expect(isoFrom('2026-11-28', 'Europe/Paris')).toBe('2026-11-27T23:00:00.000Z');
    expect(isoFrom('2026-11-28T21:14:05')).toBe('2026-11-28T21:14:05.000Z'); // no zone given: UTC, not the machine's
    expect(isoFrom('2026-11-28T21:14:05+01:00', 'America/New_York')).toBe('2026-11-28T20:14:05.000Z');
    for (const written of ['2026-11-28T21:14:05+01', '2026-11-28T21:14:05+0100', '2026-11-28T21:14:05 +01:00', '2026-11-28t21:14:05+01:00', '2026-11-28T21:14:05,000+01:00']) {
      expect(isoFrom(written, 'America/New_York'), written).toBe('2026-11-28T20:14:05.000Z');
    }
    expect(isoFrom('2026-11-28t21:14:05', 'Europe/Paris')).toBe('2026-11-28T20:14:05.000Z');
    for (const junk of ['1', '12/11/2026', 'hier soir', '2026-13-01T00:00:00']) expect(isoFrom(junk, 'Europe/Paris'), junk).toBeUndefined();
    const entity = { id: 'urn:ngsi-ld:Streetlight:L3', type: 'Streetlight', status: 'defectiveLamp', dateModified: '2026-11-28T21:00:00' };
    expect(valid(decode(ngsiLdAdapter, JSON.stringify({ data: [entity] })))[0]!.time).toBe('2026-11-28T20:00:00.000Z');
  });
});
