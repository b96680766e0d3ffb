// `npm run bench`: events per second through the pure engine with the stock rules over the
// real Marseille quartiers (111 polygons), against a baseline measured in the same run on
// the same events: a plain loop that parses each event's time and tests its type.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Event } from '../domain/event.ts';
import type { Zone } from '../domain/zone.ts';
import { Engine } from '../engine/engine.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import { loadRuleFiles } from '../library.ts';

const N = 200_000;
const shared = new URL('../../../../shared/data/marseille/quartiers.geojson', import.meta.url);
type Feature = { properties: { id: string; name: string }; geometry: Zone['geometry'] };
const quartiers: Zone[] = (JSON.parse(readFileSync(shared, 'utf8')) as { features: Feature[] }).features
  .map((f) => ({ id: f.properties.id, name: f.properties.name, kind: 'sector', tags: [], geometry: f.geometry }));

const libDir = new URL('../../library/', import.meta.url);
const lib = loadRuleFiles(readdirSync(libDir).filter((f) => f.endsWith('.yaml')).map((name) => ({ name, text: readFileSync(new URL(name, libDir), 'utf8') })));

let seed = 42;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const TYPES = ['incident.theft', 'incident.fight', 'incident.assault', 'accident.traffic', 'citizen.report', 'lighting.fault', 'health.admission', 'transport.delay', 'transport.incident'];
const t0 = Date.parse('2026-11-28T00:00:00Z');
const events: Event[] = Array.from({ length: N }, (_, i) => ({
  id: `e${i}`, source: 'bench', type: TYPES[Math.floor(rnd() * TYPES.length)]!,
  time: new Date(t0 + i * 200).toISOString(),
  location: { lat: 43.24 + rnd() * 0.12, lon: 5.34 + rnd() * 0.14 },
  severity: 1 + Math.floor(rnd() * 5),
  attributes: { injured: Math.floor(rnd() * 2), line: 'M1', cause: 'assault' },
}));

function time(label: string, fn: () => number): number {
  fn(); // warm up
  const start = performance.now();
  const out = fn();
  const s = (performance.now() - start) / 1000;
  const eps = N / s;
  console.log(`${label.padEnd(44)} ${Math.round(eps).toLocaleString('en').padStart(12)} events/s  (${out} outputs)`);
  return eps;
}

const prefixes = lib.rules.map((r) => r.id.slice(0, 3));
const baseline = time('baseline: parse time + test type per rule', () => {
  let n = 0;
  for (const e of events) {
    const t = Date.parse(e.time);
    for (const p of prefixes) if (e.type.startsWith(p) && t > 0) n++;
  }
  return n;
});
const engineEps = time(`engine: ${lib.rules.length} stock rules, ${quartiers.length} zones`, () => {
  const engine = new Engine({ zones: new ZoneIndex(quartiers), timeZone: 'Europe/Paris' }, lib.rules);
  let n = 0;
  for (const e of events) n += engine.ingest(e).length;
  return n;
});
console.log(`engine / baseline: ${(engineEps / baseline).toFixed(3)}`);
