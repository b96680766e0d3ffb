import type { Event, Place } from '@vigie/rules';
import { xmlEscape } from '../feeds/cap/cap-out.ts';
import { CSV_NATURES } from '../feeds/csv/csv-adapter.ts';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { DEMO_LINES, DEMO_PLACES } from './places.ts';
import { pick, seededRandom } from './random.ts';

type Emit = (events: Event[]) => Promise<unknown>;
/** Sends one message in a standard format through its adapter (the same path as a real feed). */
type EmitFeed = (format: string, source: string, body: Buffer) => Promise<unknown>;
/** Sends a citizen's GeoReport v2 request, form-encoded as `POST /open311/v2/requests.json` takes it, made at `at`. */
type EmitOpen311 = (form: string, at: Date) => Promise<unknown>;

const placeById = new Map(DEMO_PLACES.map((p) => [p.id, p]));
const CENTRAL = DEMO_PLACES.filter((p) => ['station', 'landmark', 'square', 'stadium', 'museum'].includes(p.kind));

/** Background: what each feed sends in an ordinary minute (type, source, weight). */
const BACKGROUND: { type: string; source: string; weight: number; severity: [number, number]; text?: string }[] = [
  { type: 'incident.theft', source: 'csu', weight: 4, severity: [1, 2], text: 'Vol à la tire signalé par un commerçant' },
  { type: 'incident.fight', source: 'csu', weight: 2, severity: [2, 3], text: 'Rixe sur la voie publique' },
  { type: 'incident.vandalism', source: 'csu', weight: 2, severity: [1, 2], text: 'Dégradation de mobilier urbain' },
  { type: 'accident.traffic', source: 'csu', weight: 2, severity: [1, 3], text: 'Accrochage entre deux véhicules' },
  { type: 'transport.incident', source: 'rtm', weight: 2, severity: [1, 3] },
  { type: 'transport.delay', source: 'rtm', weight: 3, severity: [1, 2] },
  { type: 'transport.alert', source: 'rtm', weight: 1, severity: [1, 3], text: 'Travaux : arrêt reporté' },
  { type: 'transport.message', source: 'rtm', weight: 1, severity: [1, 1], text: 'Trafic perturbé, temps de parcours allongés' },
  { type: 'lighting.fault', source: 'eclairage', weight: 2, severity: [1, 1] },
  { type: 'health.admission', source: 'ap-hm', weight: 3, severity: [2, 3] },
  { type: 'citizen.report', source: 'citoyens', weight: 3, severity: [1, 2], text: 'Dépôt sauvage devant un immeuble' },
];
const TOTAL_WEIGHT = BACKGROUND.reduce((s, b) => s + b.weight, 0);

export type SimulatorOptions = {
  /** Canonical events (the feeds without a standard format: hospitals). */
  emit: Emit;
  /**
   * When given, each feed goes out in its real format through the adapters: vehicles, delays
   * and service alerts as GTFS-RT, network incidents as SIRI SX, traveller messages as SIRI
   * Lite, street lights as NGSI-LD, the CCTV centre's incidents as its CSV export, the
   * prefecture's warnings as CAP, citizen reports as Open311 requests.
   */
  feeds?: { emit: EmitFeed; open311: EmitOpen311 };
  now: () => Date;
  seed?: number;
  /** Background events per second across all feeds. */
  backgroundRate?: number;
  /** Seconds between planted weak signals. */
  signalEvery?: number;
  /** Seconds between the prefecture's CAP warnings (each replaces the one before). */
  warningEvery?: number;
  vehiclesPerLine?: number;
};

/**
 * Streams a realistic mix of the city's feeds with planted weak signals, so that a fresh
 * demo shows alerts within a minute. Events go through the same ingest as real feeds.
 */
export class Simulator {
  private rnd: () => number;
  private timer?: NodeJS.Timeout;
  private n = 0;
  private seconds = 0;
  private readonly run: string;
  private busy = false;
  /** The CAP warning in force (its identifier and when it was sent), which the next one replaces. */
  private warning?: { identifier: string; sent: string };

  constructor(private readonly o: SimulatorOptions) {
    this.rnd = seededRandom(o.seed ?? 13);
    this.run = o.now().getTime().toString(36);
  }

  start(): void {
    this.timer = setInterval(() => void this.step(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private id(source: string) {
    return `${source}-sim-${this.run}-${++this.n}`;
  }

  private near(p: { lat: number; lon: number }, meters: number) {
    const r = meters * Math.sqrt(this.rnd());
    const a = this.rnd() * 2 * Math.PI;
    return { lat: p.lat + (r * Math.cos(a)) / 111_320, lon: p.lon + (r * Math.sin(a)) / (111_320 * Math.cos((p.lat * Math.PI) / 180)) };
  }

  private event(type: string, source: string, at: Date, place: Place, meters: number, extra: Partial<Event> = {}): Event {
    return { id: this.id(source), source, type, time: at.toISOString(), location: this.near(place, meters), ...extra };
  }

  /** One second of the city. */
  async step(): Promise<void> {
    if (this.busy) return; // a slow database: skip a beat rather than pile up
    this.busy = true;
    try {
      const now = this.o.now();
      const s = this.seconds++;
      const out: Event[] = [];
      const rate = this.o.backgroundRate ?? 0.2;
      if (this.rnd() < rate) out.push(this.background(now));
      if (s % 5 === 0) out.push(...this.vehicles(now));
      const every = this.o.signalEvery ?? 45;
      if (s === 3 || (s > 3 && s % every === 0)) out.push(...this.signal(now, Math.floor(s / every)));
      const warningEvery = this.o.warningEvery ?? 3600;
      const feeds = this.o.feeds;
      const warn = feeds && (s === 1 || (s > 1 && s % warningEvery === 0));
      await Promise.all([
        out.length ? (feeds ? this.dispatch(out, feeds) : this.o.emit(out)) : undefined,
        warn ? feeds.emit('cap', 'prefecture', this.capWarning(now, Math.floor(s / warningEvery), warningEvery)) : undefined,
      ]);
    } finally {
      this.busy = false;
    }
  }

  private background(now: Date): Event {
    let w = this.rnd() * TOTAL_WEIGHT;
    const b = BACKGROUND.find((x) => (w -= x.weight) < 0) ?? BACKGROUND[0]!;
    // Two thirds of the activity is downtown, the rest anywhere in the city.
    const place = this.rnd() < 0.66 ? pick(this.rnd, CENTRAL) : pick(this.rnd, DEMO_PLACES);
    const [lo, hi] = b.severity;
    const attributes: Event['attributes'] = {};
    if (b.source === 'rtm') attributes.line = pick(this.rnd, DEMO_LINES).id;
    if (b.type === 'lighting.fault') attributes.lampId = `LUM-${Math.floor(this.rnd() * 9000 + 1000)}`;
    if (b.type === 'health.admission') attributes.cause = pick(this.rnd, ['fall', 'illness', 'assault', 'traffic']);
    return this.event(b.type, b.source, now, place, 600, {
      severity: lo + Math.floor(this.rnd() * (hi - lo + 1)),
      attributes,
      ...(b.text ? { text: b.text } : {}),
    });
  }

  /** Vehicles move along their line, back and forth, one position every five seconds. */
  private vehicles(now: Date): Event[] {
    const per = this.o.vehiclesPerLine ?? 3;
    const t = now.getTime() / 1000;
    return DEMO_LINES.flatMap((line) => {
      const stops = line.stops.map((id) => placeById.get(id)!);
      return Array.from({ length: per }, (_, k) => {
        const period = 60 * stops.length; // one minute between stops
        const phase = ((t / period + k / per) % 1) * 2;
        const u = phase <= 1 ? phase : 2 - phase; // 0 → 1 → 0
        const x = u * (stops.length - 1);
        const i = Math.min(stops.length - 2, Math.floor(x));
        const f = x - i;
        const a = stops[i]!, b = stops[i + 1]!;
        const lat = a.lat + (b.lat - a.lat) * f, lon = a.lon + (b.lon - a.lon) * f;
        const vehicleId = `${line.id}-${k + 1}`;
        return {
          id: `rtm-veh-${vehicleId}-${Math.floor(t)}`,
          source: 'rtm',
          type: 'transport.vehicle.position',
          time: now.toISOString(),
          location: { lat, lon },
          attributes: { vehicleId, line: line.id },
        } satisfies Event;
      });
    });
  }

  /** One second's events, each feed in its own format. */
  private async dispatch(events: Event[], feeds: NonNullable<SimulatorOptions['feeds']>): Promise<void> {
    const of = (source: string, types?: string[]) => events.filter((e) => e.source === source && (!types || types.includes(e.type)));
    const vehicles = of('rtm', ['transport.vehicle.position']), delays = of('rtm', ['transport.delay']), alerts = of('rtm', ['transport.alert']);
    const incidents = of('rtm', ['transport.incident']), messages = of('rtm', ['transport.message']);
    const lights = of('eclairage', ['lighting.fault']), csu = of('csu'), citizens = of('citoyens');
    const handled = new Set([...vehicles, ...delays, ...alerts, ...incidents, ...messages, ...lights, ...csu, ...citizens]);
    const sends: Promise<unknown>[] = [];
    if (vehicles.length || delays.length || alerts.length) sends.push(feeds.emit('gtfs-rt', 'rtm', gtfsRt(vehicles, delays, alerts)));
    if (incidents.length) sends.push(feeds.emit('siri', 'rtm', siriSx(incidents)));
    if (messages.length) sends.push(feeds.emit('siri-lite', 'rtm', siriLiteMessages(messages)));
    if (lights.length) sends.push(feeds.emit('ngsi-ld', 'eclairage', ngsiStreetlights(lights)));
    if (csu.length) sends.push(feeds.emit('csv', 'csu', mainCourante(csu)));
    for (const e of citizens) sends.push(feeds.open311(this.open311Form(e), new Date(e.time)));
    const rest = events.filter((e) => !handled.has(e));
    if (rest.length) sends.push(this.o.emit(rest));
    await Promise.all(sends);
  }

  /** A citizen's report as a GeoReport v2 request; one in three leaves a first name and a phone number (pseudonymised on ingest). */
  private open311Form(e: Event): string {
    const form = new URLSearchParams({
      service_code: e.severity && e.severity >= 2 ? 'securite' : 'nuisance',
      lat: String(e.location!.lat), long: String(e.location!.lon),
      ...(e.text ? { description: e.text } : {}),
    });
    if (this.rnd() < 1 / 3) {
      form.set('first_name', pick(this.rnd, ['Camille', 'Karim', 'Léa', 'Nadia', 'Paul']));
      form.set('phone', `06${String(Math.floor(this.rnd() * 1e8)).padStart(8, '0')}`);
    }
    return form.toString();
  }

  /**
   * The prefecture's weather warning as CAP 1.2 (Météo-France's vigilance shape): in force a
   * quarter more than the interval, each one an Update of the one before (its zones replace
   * the old ones), so that the console always shows one.
   */
  private capWarning(now: Date, round: number, everySeconds: number): Buffer {
    const w = WARNINGS[round % WARNINGS.length]!;
    const sent = isoSeconds(now);
    const identifier = `2.49.0.0.250.0.FR.${this.run}.${round}.${w.code}`;
    const expires = isoSeconds(new Date(now.getTime() + everySeconds * 1250));
    const previous = this.warning;
    this.warning = { identifier, sent };
    const polygon = [...w.area, w.area[0]!].map(([lat, lon]) => `${lat},${lon}`).join(' ');
    return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier><sender>vigilance@meteo.fr</sender><sent>${sent}</sent>
<status>Actual</status><msgType>${previous ? 'Update' : 'Alert'}</msgType><scope>Public</scope>${previous ? `<references>vigilance@meteo.fr,${previous.identifier},${previous.sent}</references>` : ''}
<info><language>fr-FR</language><category>Met</category><event>${xmlEscape(w.event)}</event><urgency>Future</urgency><severity>${w.severity}</severity><certainty>Likely</certainty>
<onset>${sent}</onset><expires>${expires}</expires><senderName>Préfecture des Bouches-du-Rhône</senderName><headline>${xmlEscape(w.event)} sur les Bouches-du-Rhône</headline>
<area><areaDesc>${xmlEscape(w.areaDesc)}</areaDesc><polygon>${polygon}</polygon></area></info></alert>`);
  }

  /** A planted weak signal: what no single feed shows, but the rules should. */
  private signal(now: Date, round: number): Event[] {
    const place = pick(this.rnd, CENTRAL);
    const at = (sec: number) => new Date(now.getTime() - sec * 1000);
    switch (round % 4) {
      case 0: // several sources report trouble in one spot within minutes
        return [
          this.event('incident.fight', 'csu', at(100), place, 150, { severity: 3, text: 'Attroupement et bagarre' }),
          this.event('citizen.report', 'citoyens', at(70), place, 150, { severity: 2, text: 'Bruit et cris, appel au 06 12 34 56 78' }),
          this.event('incident.vandalism', 'csu', at(40), place, 150, { severity: 2 }),
          this.event('citizen.report', 'citoyens', at(10), place, 150, { severity: 2, text: 'Vitrines brisées' }),
        ];
      case 1:
        return [this.event('incident.assault', 'csu', now, place, 200, { severity: 4, attributes: { injured: 1, victimName: 'Jean Martin' }, text: 'Agression, une victime blessée, suspect en fuite à bord de AB-123-CD' })];
      case 2:
        return [this.event('accident.bike', 'csu', now, place, 200, { severity: 4, attributes: { injured: 1 }, text: 'Cycliste renversé à un carrefour' })];
      default: {
        const line = pick(this.rnd, DEMO_LINES);
        return [this.event('transport.incident', 'rtm', now, placeById.get(line.stops[0]!)!, 100, { severity: 4, attributes: { line: line.id, kind: 'line-stopped' } })];
      }
    }
  }
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** An ISO time to the second, as CAP wants it (no fraction). */
const isoSeconds = (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`;

/** The warnings the simulated prefecture takes turns with, over parts of the city ([lat, lon] corners). */
const WARNINGS: { code: string; event: string; severity: 'Moderate' | 'Severe'; areaDesc: string; area: [number, number][] }[] = [
  { code: 'vent', event: 'Vigilance jaune vent violent', severity: 'Moderate', areaDesc: 'Littoral sud', area: [[43.292, 5.352], [43.286, 5.372], [43.262, 5.383], [43.243, 5.371], [43.258, 5.349]] },
  { code: 'orages', event: 'Vigilance orange orages', severity: 'Severe', areaDesc: 'Centre-ville', area: [[43.31, 5.365], [43.306, 5.392], [43.288, 5.398], [43.284, 5.37], [43.296, 5.358]] },
  { code: 'pluie', event: 'Vigilance jaune pluie-inondation', severity: 'Moderate', areaDesc: 'Vallée de l’Huveaune', area: [[43.292, 5.405], [43.283, 5.46], [43.268, 5.47], [43.262, 5.43], [43.275, 5.4]] },
];

const GTFS_SEVERITY = ['INFO', 'INFO', 'WARNING', 'SEVERE', 'SEVERE'];

/** Vehicle positions, delays and service alerts as one GTFS-Realtime FeedMessage. */
function gtfsRt(vehicles: Event[], delays: Event[], alerts: Event[]): Buffer {
  return Buffer.from(encodeFeedMessage({
    header: { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: seconds([...vehicles, ...delays, ...alerts][0]!.time) },
    entity: [
      ...vehicles.map((e) => ({ id: String(e.attributes!.vehicleId), vehicle: { vehicle: { id: String(e.attributes!.vehicleId) }, trip: { routeId: String(e.attributes!.line) }, timestamp: seconds(e.time), position: { latitude: e.location!.lat, longitude: e.location!.lon } } })),
      ...delays.map((e) => ({ id: e.id, tripUpdate: { trip: { tripId: e.id, routeId: String(e.attributes?.line ?? '') }, timestamp: seconds(e.time), stopTimeUpdate: [{ stopSequence: 1, arrival: { delay: 180 * (e.severity ?? 1) } }] } })),
      ...alerts.map((e) => ({ id: e.id, alert: {
        activePeriod: [{ start: seconds(e.time), end: seconds(e.time) + 3600 }], informedEntity: [{ routeId: String(e.attributes?.line ?? '') }],
        cause: 'CONSTRUCTION', effect: 'STOP_MOVED', severityLevel: GTFS_SEVERITY[e.severity ?? 1],
        headerText: { translation: [{ text: e.text ?? 'Perturbation', language: 'fr' }] },
      } })),
    ],
  }));
}

const SIRI_SEVERITY = ['slight', 'slight', 'normal', 'severe', 'verySevere', 'verySevere'];

/** Network incidents as a SIRI 2.0 SituationExchange delivery. */
function siriSx(incidents: Event[]): Buffer {
  const situations = incidents.map((e) => `<PtSituationElement><CreationTime>${e.time}</CreationTime><SituationNumber>${xmlEscape(e.id)}</SituationNumber><Version>1</Version>
<ValidityPeriod><StartTime>${e.time}</StartTime></ValidityPeriod><MiscellaneousReason>${xmlEscape(String(e.attributes?.kind ?? 'unknown'))}</MiscellaneousReason>
<Severity>${SIRI_SEVERITY[e.severity ?? 2]}</Severity><Summary xml:lang="fr">${xmlEscape(e.text ?? 'Perturbation')}</Summary>
<Affects><Networks><AffectedNetwork><AffectedLine><LineRef>${xmlEscape(String(e.attributes?.line ?? ''))}</LineRef></AffectedLine></AffectedNetwork></Networks></Affects></PtSituationElement>`).join('');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Siri xmlns="http://www.siri.org.uk/siri" version="2.0"><ServiceDelivery><ResponseTimestamp>${incidents[0]!.time}</ResponseTimestamp><ProducerRef>RTM</ProducerRef><SituationExchangeDelivery version="2.0"><Situations>${situations}</Situations></SituationExchangeDelivery></ServiceDelivery></Siri>`);
}

/** Traveller messages as a SIRI Lite GeneralMessage delivery (JSON, the French profile's names). */
function siriLiteMessages(messages: Event[]): Buffer {
  return Buffer.from(JSON.stringify({ Siri: { ServiceDelivery: {
    ResponseTimestamp: messages[0]!.time, ProducerRef: 'RTM',
    GeneralMessageDelivery: [{ ResponseTimestamp: messages[0]!.time, InfoMessage: messages.map((e) => ({
      formatRef: 'FRANCE', RecordedAtTime: e.time, ItemIdentifier: e.id, InfoMessageIdentifier: { value: `RTM:InfoMessage::${e.id}:LOC` },
      InfoChannelRef: { value: 'Information' }, ValidUntilTime: new Date(Date.parse(e.time) + 3_600_000).toISOString(),
      Content: { LineRef: [{ value: `RTM:Line::${String(e.attributes?.line ?? '')}:LOC` }], Message: [{ MessageType: 'SHORT_MESSAGE', MessageText: { value: e.text ?? '', lang: 'fr' } }] },
    })) }],
  } } }));
}

/** Street-light faults as an NGSI-LD notification of FIWARE Streetlight entities. */
function ngsiStreetlights(faults: Event[]): Buffer {
  return Buffer.from(JSON.stringify({
    id: `urn:ngsi-ld:Notification:${faults[0]!.id}`, type: 'Notification', subscriptionId: 'urn:ngsi-ld:Subscription:vigie', notifiedAt: faults[0]!.time,
    data: faults.map((e) => ({
      id: `urn:ngsi-ld:Streetlight:${String(e.attributes?.lampId ?? e.id)}`, type: 'Streetlight',
      status: { type: 'Property', value: 'defectiveLamp', observedAt: e.time }, powerState: { type: 'Property', value: 'off' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [e.location!.lon, e.location!.lat] } },
    })),
  }));
}

const NATURE_OF = new Map(Object.entries(CSV_NATURES).reverse().map(([label, type]) => [type, label]));
const csvCell = (v: unknown) => (v === undefined ? '' : /[;"\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** The CCTV centre's incidents as rows of its main courante CSV export. */
function mainCourante(rows: Event[]): Buffer {
  const extra = [...new Set(rows.flatMap((e) => Object.keys(e.attributes ?? {})))];
  const head = ['numero', 'horodatage', 'nature', 'latitude', 'longitude', 'gravite', 'observations', ...extra];
  const lines = rows.map((e) => [e.id, e.time, NATURE_OF.get(e.type) ?? e.type, e.location?.lat, e.location?.lon, e.severity, e.text, ...extra.map((k) => e.attributes?.[k])].map(csvCell).join(';'));
  return Buffer.from(`${head.join(';')}\n${lines.join('\n')}\n`);
}
