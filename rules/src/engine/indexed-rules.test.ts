import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import { Engine } from './engine.ts';
import { ev, IN_A, IN_B, ruleFromYaml, squareZone, ZONE_A, ZONE_B } from '../testing/fixtures.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const RULES = [
  'id: m\ntitle: T\nseverity: low\nkind: match\nwhere: { type: "incident.a" }\nzones: ["tag:night"]\n',
  'id: z\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: "incident.*" }\nzones: [A, "tag:night"]\ngroupBy: zone\nwindow: 5m\ncount: { gte: 3 }\n',
  'id: s\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: ["incident.a", "other.x"] }\ngroupBy: source\nwindow: 5m\ncount: { gte: 4 }\n',
  'id: k\ntitle: T\nseverity: low\nkind: cooccurrence\nwhere: { type: "incident.*" }\nzones: [B]\ndistinct: source\nmin: 2\nwithin: 5m\nnear: 2km\n',
  'id: f\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: "incident.b", source: s1 }\ngroupBy: zone\nwindow: 5m\ncount: { gte: 2 }\n',
];

/** A stream shuffled within 30 s, over zone A, zone B, outside both and nowhere. */
function stream() {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const types = ['incident.a', 'incident.b', 'other.x', 'other.y'];
  const places = [IN_A, IN_B, { lat: 43.2, lon: 5.2 }, undefined];
  return Array.from({ length: 1500 }, (_, i) => {
    const location = places[Math.floor(rnd() * places.length)];
    return { e: ev(types[Math.floor(rnd() * types.length)]!, T0 + i * 2000, { source: `s${Math.floor(rnd() * 3)}`, ...(location ? { location } : {}) }), at: T0 + i * 2000 + rnd() * 30_000 };
  }).sort((a, b) => a.at - b.at).map((x) => x.e);
}

/** The transitions (as JSON) of the stream, with three zones imports (B's tags change) while events wait. */
function run(events: Event[], indexed: boolean): string[] {
  const rules = RULES.map((y) => ({ ...ruleFromYaml(y), ...(indexed ? {} : { indexed: false }) }));
  const night = (tags: string[]) => new ZoneIndex([ZONE_A, squareZone('B', 43.29, 5.37, 0.01, 'sector', tags)]);
  const engine = new Engine({ zones: new ZoneIndex([ZONE_A, ZONE_B]), timeZone: 'Europe/Paris' }, rules, { lateness: 60_000 });
  const out: AlertTransition[] = [];
  events.forEach((e, i) => {
    // An import alone (waiting events keep the candidates found on arrival), then one followed
    // by the same rules again (their state kept: waiting events are looked up again, against
    // the new index, while they still read the old zones).
    if (i === 500) engine.setZones(night(['night']));
    if (i === 900) engine.setZones(night([]));
    if (i === 1000) {
      engine.setZones(night(['night']));
      engine.setRules(rules);
    }
    out.push(...engine.ingest(e));
  });
  out.push(...engine.flush());
  return out.map((t) => JSON.stringify(t));
}

describe('rules whose filter the index implies (CompiledRule.indexed)', () => {
  it('give the very transitions of the same rules with their filters run, across zones imports with events waiting', () => {
    expect(RULES.map((y) => ruleFromYaml(y).indexed)).toEqual([true, true, true, true, false]);
    const events = stream();
    const want = run(events, false);
    expect(want.length).toBeGreaterThan(50);
    expect(new Set(want.map((t) => (JSON.parse(t) as AlertTransition).ruleId))).toEqual(new Set(['m', 'z', 's', 'k', 'f']));
    const got = run(events, true);
    const firstDiff = got.findIndex((t, i) => t !== want[i]);
    expect({ length: got.length, firstDiff }).toEqual({ length: want.length, firstDiff: -1 });
  });
});
