import type { Event, Place } from '@vigie/rules';
import { DEMO_LINES, DEMO_PLACES } from './places.ts';
import { pick, seededRandom } from './random.ts';

type Emit = (events: Event[]) => Promise<unknown>;

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
  { type: 'lighting.fault', source: 'eclairage', weight: 2, severity: [1, 1] },
  { type: 'health.admission', source: 'ap-hm', weight: 3, severity: [2, 3] },
  { type: 'citizen.report', source: 'citoyens', weight: 3, severity: [1, 2], text: 'Dépôt sauvage devant un immeuble' },
];
const TOTAL_WEIGHT = BACKGROUND.reduce((s, b) => s + b.weight, 0);

export type SimulatorOptions = {
  emit: Emit;
  now: () => Date;
  seed?: number;
  /** Background events per second across all feeds. */
  backgroundRate?: number;
  /** Seconds between planted weak signals. */
  signalEvery?: number;
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
      if (out.length) await this.o.emit(out);
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

  /** A planted weak signal: what no single feed shows, but the rules should. */
  private signal(now: Date, round: number): Event[] {
    const place = pick(this.rnd, CENTRAL);
    const at = (sec: number) => new Date(now.getTime() - sec * 1000);
    switch (round % 4) {
      case 0: // several sources report trouble in one spot within minutes
        return [
          this.event('incident.fight', 'csu', at(240), place, 150, { severity: 3, text: 'Attroupement et bagarre' }),
          this.event('citizen.report', 'citoyens', at(180), place, 150, { severity: 2, text: 'Bruit et cris, appel au 06 12 34 56 78' }),
          this.event('incident.vandalism', 'csu', at(90), place, 150, { severity: 2 }),
          this.event('citizen.report', 'citoyens', at(30), place, 150, { severity: 2, text: 'Vitrines brisées' }),
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
