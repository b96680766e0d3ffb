import type { Event } from '../domain/event.ts';
import type { Zone } from '../domain/zone.ts';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import { compileRule } from '../language/compile-rule.ts';
import { parseRule } from '../language/parse.ts';

/** A square zone of `size` degrees whose south-west corner is (lat, lon). */
export function squareZone(id: string, lat: number, lon: number, size = 0.01, kind = 'sector', tags: string[] = []): Zone {
  return {
    id, name: `Zone ${id}`, kind, tags,
    geometry: {
      type: 'Polygon',
      coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    },
  };
}

export const ZONE_A = squareZone('A', 43.29, 5.36);
export const ZONE_B = squareZone('B', 43.29, 5.37);
/** A point inside zone A and one inside zone B. */
export const IN_A = { lat: 43.295, lon: 5.365 };
export const IN_B = { lat: 43.295, lon: 5.375 };

export function ruleFromYaml(yaml: string, version = 1) {
  const r = parseRule(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return compileRule(r.rule, version);
}

/** An engine over zones A and B; no allowed lateness unless asked, so each event is evaluated on arrival. */
export function engineWith(yamls: string[], zones: Zone[] = [ZONE_A, ZONE_B], opts: EngineOptions = { lateness: 0 }): Engine {
  return new Engine({ zones: new ZoneIndex(zones), timeZone: 'Europe/Paris' }, yamls.map((y) => ruleFromYaml(y)), opts);
}

let n = 0;
/** An event at `time` (ISO or ms); id is unique per call. */
export function ev(type: string, time: string | number, extra: Partial<Event> = {}): Event {
  return {
    id: `e${++n}`,
    source: 'test',
    type,
    time: typeof time === 'number' ? new Date(time).toISOString() : time,
    ...extra,
  };
}
