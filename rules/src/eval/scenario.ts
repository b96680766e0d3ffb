import type { Event, Location } from '../domain/event.ts';
import type { Zone } from '../domain/zone.ts';
import type { CalendarEntry } from '../engine/calendar.ts';
import { localClock } from '../engine/local-time.ts';
import { geometryBBox, geometryContains } from '../geo/polygon.ts';
import { Rand } from './random.ts';

/** A planted weak signal and how to recognise its alert: the rule, and the event that completes it (or, for a silence, the key and when it should show). */
export type Plant = { rule: string; completing: string; at: number; key?: string };
export type Scenario = { events: Event[]; plants: Plant[]; calendar: CalendarEntry[]; zones: Zone[]; start: number; end: number; learnUntil: number };

const HOUR = 3_600_000;
const MIN = 60_000;
const DAY = 24 * HOUR;

/** City-wide background events per hour by local hour (a weekday; nights busier at weekends). */
const DIURNAL = [6, 5, 4, 3, 2, 2, 3, 6, 10, 12, 12, 13, 14, 13, 13, 14, 16, 18, 20, 20, 18, 14, 11, 8];
const BACKGROUND: { type: string; source: string; weight: number; sev: [number, number] }[] = [
  { type: 'incident.theft', source: 'csu', weight: 5, sev: [1, 2] },
  { type: 'incident.fight', source: 'csu', weight: 2, sev: [2, 3] },
  { type: 'incident.vandalism', source: 'csu', weight: 2, sev: [1, 2] },
  { type: 'incident.burglary', source: 'csu', weight: 0.5, sev: [2, 3] },
  { type: 'accident.traffic', source: 'csu', weight: 2, sev: [1, 3] },
  { type: 'citizen.report', source: 'citoyens', weight: 3, sev: [1, 2] },
  { type: 'health.admission', source: 'ap-hm', weight: 2, sev: [2, 3] },
  { type: 'lighting.fault', source: 'eclairage', weight: 1, sev: [1, 1] },
  { type: 'transport.delay', source: 'rtm', weight: 2, sev: [1, 2] },
  { type: 'crowd.report', source: 'citoyens', weight: 0.5, sev: [1, 2] },
];
const TOTAL = BACKGROUND.reduce((s, b) => s + b.weight, 0);

export type ScenarioOptions = { seed: number; zones: Zone[]; populations: Record<string, number>; learnWeeks: number; evalDays: number; plantsPerRule: number; start?: number };

/**
 * Several weeks of a city's background (hour-of-week rates per zone, weighted by population)
 * for the baselines to learn from, then days with labelled weak signals of every stock rule
 * planted among the background.
 */
export function generateScenario(o: ScenarioOptions): Scenario {
  const r = new Rand(o.seed);
  const start = o.start ?? Date.parse('2026-10-05T00:00:00Z'); // a Monday
  const learnUntil = start + o.learnWeeks * 7 * DAY;
  const end = learnUntil + o.evalDays * DAY;
  const totalPop = Object.values(o.populations).reduce((a, b) => a + b, 0);
  const zoneWeights = o.zones.map((z) => (o.populations[z.id] ?? 0) / totalPop);
  const boxes = new Map(o.zones.map((z) => [z.id, geometryBBox(z.geometry)]));
  const pointIn = (z: Zone): Location => {
    const b = boxes.get(z.id)!;
    for (let i = 0; i < 1000; i++) {
      const lat = b.minLat + r.next() * (b.maxLat - b.minLat), lon = b.minLon + r.next() * (b.maxLon - b.minLon);
      if (geometryContains(z.geometry, lon, lat)) return { lat, lon };
    }
    return { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 };
  };
  const pickZone = (): Zone => {
    let x = r.next();
    for (let i = 0; i < o.zones.length; i++) if ((x -= zoneWeights[i]!) < 0) return o.zones[i]!;
    return o.zones[o.zones.length - 1]!;
  };
  let n = 0;
  const events: Event[] = [];
  const add = (e: Omit<Event, 'id'> & { id?: string }): Event => {
    const ev = { ...e, id: e.id ?? `ev-${++n}` } as Event;
    events.push(ev);
    return ev;
  };
  const iso = (t: number) => new Date(t).toISOString();
  const near = (p: Location, m: number): Location => {
    const a = r.next() * 2 * Math.PI, d = m * Math.sqrt(r.next());
    return { lat: p.lat + (d * Math.cos(a)) / 111_320, lon: p.lon + (d * Math.sin(a)) / (111_320 * Math.cos((p.lat * Math.PI) / 180)) };
  };

  // Background, hour by hour; weekend nights are busier.
  for (let h = start; h < end; h += HOUR) {
    const c = localClock(h, 'Europe/Paris');
    const weekendNight = (c.weekday >= 5 && c.hour >= 21) || (c.weekday >= 6 && c.hour < 4);
    const rate = DIURNAL[c.hour]! * (weekendNight ? 1.6 : 1);
    const count = r.poisson(rate);
    for (let i = 0; i < count; i++) {
      let w = r.next() * TOTAL;
      const b = BACKGROUND.find((x) => (w -= x.weight) < 0) ?? BACKGROUND[0]!;
      add({
        source: b.source, type: b.type, time: iso(h + Math.floor(r.next() * HOUR)), location: pointIn(pickZone()),
        severity: r.int(b.sev[0], b.sev[1]),
        attributes: b.type === 'health.admission' ? { cause: r.pick(['fall', 'illness', 'traffic', 'fall', 'illness']) } : b.type === 'lighting.fault' ? { lampId: `L${r.int(1, 99999)}` } : {},
      });
    }
    // Feeds that report continuously: vehicle positions and the sensors' heartbeat.
    for (let m = 0; m < 60; m += 2) add({ source: 'rtm', type: 'transport.vehicle.position', time: iso(h + m * MIN + r.int(0, 59_000)), attributes: { vehicleId: 'bus-1' } });
    for (let m = 0; m < 60; m += 5) add({ source: 'capteurs', type: 'feed.heartbeat', time: iso(h + m * MIN + r.int(0, 30_000)) });
  }

  // Planted signals during the evaluated days, spread over them.
  const plants: Plant[] = [];
  const calendar: CalendarEntry[] = [];
  const plantTimes = (count: number, ok: (t: number) => boolean = () => true) => {
    const out: number[] = [];
    for (let tries = 0; out.length < count && tries < 10_000; tries++) {
      const t = learnUntil + 3 * HOUR + Math.floor(r.next() * (end - learnUntil - 12 * HOUR));
      if (ok(t) && out.every((x) => Math.abs(x - t) > 3 * HOUR)) out.push(t);
    }
    return out.sort((a, b) => a - b);
  };
  const plant = (rule: string, completing: Event) => plants.push({ rule, completing: `${completing.source}/${completing.id}`, at: Date.parse(completing.time) });
  const k = o.plantsPerRule;
  const P = (prefix: string) => `${prefix}-${++n}`;

  for (const t of plantTimes(k)) plant('assault-injured', add({ id: P('p-assault'), source: 'csu', type: 'incident.assault', time: iso(t), location: pointIn(pickZone()), severity: 4, attributes: { injured: 1 } }));
  for (const t of plantTimes(k)) plant('serious-accident', add({ id: P('p-crash'), source: 'csu', type: 'accident.car', time: iso(t), location: pointIn(pickZone()), severity: 5 }));
  for (const t of plantTimes(k)) {
    const z = pickZone();
    let last: Event | undefined;
    for (let i = 0; i < 4; i++) last = add({ id: P('p-cluster'), source: 'csu', type: 'incident.fight', time: iso(t + i * 90_000), location: pointIn(z), severity: 2 });
    plant('incident-cluster', last!);
  }
  for (const t of plantTimes(k)) {
    const z = pickZone();
    let last: Event | undefined;
    for (let i = 0; i < 3; i++) last = add({ id: P('p-citizens'), source: 'citoyens', type: 'citizen.report', time: iso(t + i * 8 * MIN), location: pointIn(z) });
    plant('citizen-reports-burst', last!);
  }
  for (const t of plantTimes(k)) plant('transport-major-incident', add({ id: P('p-line'), source: 'rtm', type: 'transport.incident', time: iso(t), severity: 4, attributes: { line: `L${++n}` } }));
  for (const t of plantTimes(k, (x) => { const h = localClock(x, 'Europe/Paris').hour; return h >= 22 || h < 3; })) {
    const z = pickZone();
    let last: Event | undefined;
    for (let i = 0; i < 3; i++) last = add({ id: P('p-night'), source: 'ap-hm', type: 'health.admission', time: iso(t + i * 25 * MIN), location: pointIn(z), attributes: { cause: 'assault' } });
    plant('night-assault-admissions', last!);
  }
  for (const t of plantTimes(k)) {
    const z = pickZone();
    let last: Event | undefined;
    for (let i = 0; i < 3; i++) last = add({ id: P('p-lights'), source: 'eclairage', type: 'lighting.fault', time: iso(t + i * 50 * MIN), location: pointIn(z), attributes: { lampId: `LP${++n}` } });
    plant('lighting-fault-cluster', last!);
  }
  for (const t of plantTimes(k)) {
    const at = pointIn(pickZone());
    add({ id: P('p-fault'), source: 'eclairage', type: 'lighting.fault', time: iso(t), location: at, attributes: { lampId: `LD${n}` } });
    plant('dark-junction', add({ id: P('p-dark'), source: 'csu', type: 'accident.bike', time: iso(t + r.int(1, 5) * HOUR), location: near(at, 30), severity: 3 }));
  }
  for (const t of plantTimes(k)) {
    const at = pointIn(pickZone());
    add({ id: P('p-3s'), source: 'csu', type: 'incident.fight', time: iso(t), location: near(at, 100), severity: 2 });
    add({ id: P('p-3s'), source: 'citoyens', type: 'citizen.report', time: iso(t + 2 * MIN), location: near(at, 100) });
    plant('three-sources', add({ id: P('p-3s'), source: 'ap-hm', type: 'health.admission', time: iso(t + 5 * MIN), location: near(at, 100), attributes: { cause: 'fall' } }));
  }
  for (const t of plantTimes(k)) {
    const z = pickZone();
    let last: Event | undefined;
    for (let i = 0; i < 14; i++) last = add({ id: P('p-surge'), source: 'csu', type: 'incident.vandalism', time: iso(t + i * 3 * MIN), location: pointIn(z), severity: 2 });
    plant('district-anomaly', last!);
  }
  for (const t of plantTimes(k)) {
    const at = pointIn(pickZone());
    add({ id: P('p-stn'), source: 'rtm', type: 'transport.incident', time: iso(t), location: at, severity: 2, attributes: { line: 'M2' } });
    plant('station-transport-crowd', add({ id: P('p-stn'), source: 'citoyens', type: 'crowd.report', time: iso(t + 6 * MIN), location: near(at, 80) }));
  }
  for (const t of plantTimes(k)) {
    const z = o.zones[0]!;
    calendar.push({ id: `match-${t}`, kind: 'match', start: t - 2 * HOUR, end: t, phases: { arrival: [t - 3 * HOUR, t - 2 * HOUR], during: [t - 2 * HOUR, t], departure: [t, t + HOUR] } });
    let last: Event | undefined;
    for (let i = 0; i < 6; i++) last = add({ id: P('p-match'), source: 'citoyens', type: 'crowd.report', time: iso(t + 5 * MIN + i * MIN), location: pointIn(z) });
    plant('match-end-surge', last!);
  }
  const school = o.zones.find((z) => z.tags.includes('school'));
  if (school) {
    for (const t of plantTimes(k, (x) => { const c = localClock(x, 'Europe/Paris'); return [1, 2, 4, 5].includes(c.weekday) && c.hour >= 7 && c.hour <= 16; })) {
      const c = localClock(t, 'Europe/Paris');
      const shift = ((c.hour < 12 ? 8 : 16) - c.hour) * HOUR - c.minute * MIN + 20 * MIN; // to 08:20 or 16:20 local
      plant('school-hours-incidents', add({ id: P('p-school'), source: 'csu', type: 'incident.fight', time: iso(t + shift), location: pointIn(school), severity: 2 }));
    }
  }
  for (const t of plantTimes(k)) {
    const at = pointIn(pickZone());
    let last: Event | undefined;
    for (let i = 0; i < 3; i++) last = add({ id: P('p-spot'), source: 'citoyens', type: 'citizen.report', time: iso(t + i * 3 * HOUR), location: near(at, 15) });
    plant('repeated-citizen-reports', last!);
  }
  for (const t of plantTimes(k)) {
    const at = pointIn(pickZone());
    add({ id: P('p-burgle'), source: 'csu', type: 'incident.burglary', time: iso(t - 2 * DAY), location: at, severity: 3 });
    plant('near-repeat-burglary', add({ id: P('p-burgle'), source: 'csu', type: 'incident.burglary', time: iso(t), location: near(at, 150), severity: 3 }));
  }
  // A sensor network gone silent for 40 minutes, several times.
  // The heartbeats it misses stay in the background-only run (marked `bg-only-`).
  const silences = plantTimes(k);
  const silent = (t: number) => silences.some((s) => t >= s && t < s + 40 * MIN);
  for (const e of events) if (e.source === 'capteurs' && silent(Date.parse(e.time))) e.id = `bg-only-${e.id}`;
  for (const s of silences) {
    plants.push({ rule: 'feed-silent', completing: '', at: s + 20 * MIN, key: 'capteurs' });
    plants.push({ rule: 'feed-unusually-quiet', completing: '', at: s + 30 * MIN, key: 'capteurs' });
  }
  // A metro station closed: three trips skip its stop within 20 minutes (GTFS-RT SKIPPED).
  for (const t of plantTimes(k)) {
    const stop = `S${++n}`;
    let last: Event | undefined;
    for (let i = 0; i < 3; i++) last = add({ id: P('p-skip'), source: 'rtm', type: 'transport.stop.skipped', time: iso(t + i * 10 * MIN), severity: 2, attributes: { stopId: stop, stopRef: `rtm:${stop}`, tripId: `T${++n}`, line: 'M2' } });
    plant('stop-not-served', last!);
  }

  events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { events, plants, calendar, zones: o.zones, start, end, learnUntil };
}
