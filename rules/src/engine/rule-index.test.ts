import { describe, expect, it } from 'vitest';
import type { Event } from '../domain/event.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { zoneScope } from '../language/zone-scope.ts';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml, squareZone, ZONE_A, ZONE_B } from '../testing/fixtures.ts';
import { EventContext } from './context.ts';
import { RuleIndex } from './rule-index.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
/** A point in no zone. */
const NOWHERE = { lat: 43.2, lon: 5.2 };
const ZONE_C = squareZone('C', 43.30, 5.36, 0.01, 'sector', ['night']);
const IN_C = { lat: 43.305, lon: 5.365 };
const zones = new ZoneIndex([ZONE_A, ZONE_B, ZONE_C]);
const env = { zones, timeZone: 'Europe/Paris' };

const match = (id: string, where: string, extra = '') =>
  `id: ${id}\ntitle: "${id}"\nseverity: low\nkind: match\nwhere: ${where}\n${extra}`;

function indexOf(yamls: string[]) {
  const rules = yamls.map((y) => ruleFromYaml(y));
  return new RuleIndex(rules.map((rule) => ({ rule, stateless: rule.kind === 'match' })), zones);
}
const ids = (index: ReturnType<typeof indexOf>, e: Partial<Event>) => {
  const c = index.candidates(new EventContext({ id: 'x', source: 's', type: 'incident.a', time: '2026-11-28T20:00:00Z', ...e }, env));
  return [...c.onArrival, ...c.inOrder].map((x) => x.rule.id);
};

describe('zoneScope', () => {
  it('reads inZone at the top of a filter, through all and any, never through not', () => {
    expect(zoneScope({ op: 'inZone', value: 'A' })).toEqual(['A']);
    expect(zoneScope({ all: [{ type: 'x' }, { op: 'inZone', value: ['A', 'tag:night'] }] })).toEqual(['A', 'tag:night']);
    expect(zoneScope({ all: [{ op: 'inZone', value: ['A', 'B'] }, { op: 'inZone', value: 'B' }] })).toEqual(['B']);
    expect(zoneScope({ any: [{ op: 'inZone', value: 'A' }, { all: [{ type: 'y' }, { op: 'inZone', value: 'B' }] }] })).toEqual(['A', 'B']);
    expect(zoneScope({ any: [{ op: 'inZone', value: 'A' }, { type: 'y' }] })).toBeUndefined();
    expect(zoneScope({ not: { op: 'inZone', value: 'A' } })).toBeUndefined();
    expect(zoneScope({ all: [{ type: 'x' }, { not: { op: 'inZone', value: 'A' } }] })).toBeUndefined();
    expect(zoneScope({ type: 'x' })).toBeUndefined();
    expect(zoneScope(undefined)).toBeUndefined();
  });

  it('a rule is scoped by its zones block or its filter, whichever is narrower', () => {
    expect(ruleFromYaml(match('r', '{ type: x }', 'zones: [A, B]\n')).zones).toEqual(['A', 'B']);
    expect(ruleFromYaml(match('r', '{ all: [ { type: x }, { op: inZone, value: B } ] }', 'zones: [A, B]\n')).zones).toEqual(['B']);
    expect(ruleFromYaml(match('r', '{ type: x }')).zones).toBeUndefined();
  });
});

describe('RuleIndex by type and zone', () => {
  const index = indexOf([
    match('anywhere', '{ type: "incident.*" }'),
    match('in-a', '{ all: [ { type: "incident.*" }, { op: inZone, value: A } ] }'),
    match('block-b', '{ type: "incident.*" }', 'zones: [B]\n'),
    match('tagged', '{ type: "incident.*" }', 'zones: ["tag:night"]\n'),
    match('a-or-b', '{ any: [ { op: inZone, value: A }, { op: inZone, value: B } ] }'),
    match('a-or-type', '{ any: [ { op: inZone, value: A }, { type: "incident.a" } ] }'),
    match('not-a', '{ not: { op: inZone, value: A } }'),
    match('other-type', '{ all: [ { type: "accident.*" }, { op: inZone, value: A } ] }'),
  ]);

  it('a scoped rule is a candidate only in its zones; an unscoped one everywhere', () => {
    expect(ids(index, { location: IN_A })).toEqual(['anywhere', 'in-a', 'a-or-b', 'a-or-type', 'not-a']);
    expect(ids(index, { location: IN_B })).toEqual(['anywhere', 'block-b', 'a-or-b', 'a-or-type', 'not-a']);
    expect(ids(index, { location: IN_C })).toEqual(['anywhere', 'tagged', 'a-or-type', 'not-a']);
    expect(ids(index, { location: NOWHERE })).toEqual(['anywhere', 'a-or-type', 'not-a']);
    expect(ids(index, {})).toEqual(['anywhere', 'a-or-type', 'not-a']);
    // remembered per set of zones: asking again gives the same
    expect(ids(index, { location: IN_B })).toEqual(['anywhere', 'block-b', 'a-or-b', 'a-or-type', 'not-a']);
  });

  it('a type gets its rules in their order, named exactly, by a glob or by no type at all', () => {
    const mixed = indexOf([
      match('glob', '{ type: "incident.*" }'),
      match('exact', '{ type: "incident.a" }'),
      match('any-type', '{ source: s }'),
      match('exact-or-glob', '{ type: ["accident.a", "incident.?"] }'),
      match('two-exact', '{ type: ["accident.a", "incident.a"] }'),
      match('other', '{ type: "incident.b" }'),
    ]);
    expect(ids(mixed, { type: 'incident.a' })).toEqual(['glob', 'exact', 'any-type', 'exact-or-glob', 'two-exact']);
    expect(ids(mixed, { type: 'accident.a' })).toEqual(['any-type', 'exact-or-glob', 'two-exact']);
    expect(ids(mixed, { type: 'incident.b' })).toEqual(['glob', 'any-type', 'exact-or-glob', 'other']);
    expect(ids(mixed, { type: 'crowd.x' })).toEqual(['any-type']);
  });

  it('rules of other types stay out, scoped or not', () => {
    expect(ids(index, { type: 'accident.a', location: IN_A })).toEqual(['a-or-b', 'a-or-type', 'not-a', 'other-type']);
  });
});

describe('the engine with zone-scoped rules', () => {
  const SCOPED = match('scoped', '{ all: [ { type: "incident.*" }, { op: inZone, value: A } ] }');
  const NOT_A = match('not-a', '{ all: [ { type: "incident.*" }, { not: { op: inZone, value: A } } ] }');
  const ANY = match('any', '{ any: [ { op: inZone, value: A }, { source: tip } ] }');

  /** The rules' filters, counting how often the engine asks them. */
  function counting(yamls: string[]) {
    const engine = engineWith([], [ZONE_A, ZONE_B]);
    const asked = new Map<string, number>();
    const rules = yamls.map((y) => {
      const r = ruleFromYaml(y);
      const accepts = r.accepts;
      return { ...r, accepts: (e: EventContext) => (asked.set(r.id, (asked.get(r.id) ?? 0) + 1), accepts(e)) } as CompiledRule;
    });
    engine.setRules(rules);
    return { engine, asked };
  }

  it('a scoped rule is not evaluated for events outside its zone, and still fires inside', () => {
    const { engine, asked } = counting([SCOPED]);
    expect(engine.ingest(ev('incident.a', T0, { location: IN_B }))).toEqual([]);
    expect(engine.ingest(ev('incident.a', T0, {}))).toEqual([]);
    expect(asked.get('scoped')).toBeUndefined();
    expect(engine.ingest(ev('incident.a', T0, { location: IN_A }))).toMatchObject([{ kind: 'fired', ruleId: 'scoped', zones: ['A'] }]);
    expect(asked.get('scoped')).toBe(1);
  });

  it('not and any around inZone are not pruned: they fire outside the zone', () => {
    const { engine } = counting([NOT_A, ANY]);
    expect(engine.ingest(ev('incident.a', T0, { location: IN_B })).map((t) => t.ruleId)).toEqual(['not-a']);
    expect(engine.ingest(ev('incident.a', T0, { location: IN_A })).map((t) => t.ruleId)).toEqual(['any']);
    expect(engine.ingest({ ...ev('x.y', T0, { location: IN_B }), source: 'tip' }).map((t) => t.ruleId)).toEqual(['any']);
  });

  it('a windowed rule scoped by its zones block counts only inside', () => {
    const engine = engineWith([`id: w\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: "incident.*" }\nzones: [A]\ngroupBy: source\nwindow: 10m\ncount: { gte: 2 }\n`]);
    expect(engine.ingest(ev('incident.a', T0, { location: IN_B }))).toEqual([]);
    expect(engine.ingest(ev('incident.a', T0 + 1, { location: IN_A }))).toEqual([]);
    expect(engine.ingest(ev('incident.a', T0 + 2, { location: IN_A }))).toMatchObject([{ kind: 'fired', count: 2 }]);
  });

  it('a tag scope follows the zones when they change', () => {
    const engine = engineWith([match('t', '{ type: "incident.*" }', 'zones: ["tag:night"]\n')], [ZONE_A, ZONE_B]);
    expect(engine.ingest(ev('incident.a', T0, { location: IN_A }))).toEqual([]);
    engine.setZones(new ZoneIndex([squareZone('A', 43.29, 5.36, 0.01, 'sector', ['night']), ZONE_B]));
    expect(engine.ingest(ev('incident.a', T0, { location: IN_A }))).toMatchObject([{ kind: 'fired', ruleId: 't' }]);
  });
});
