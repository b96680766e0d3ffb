import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../domain/event.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import { compileRule, type CompiledRule } from '../language/compile-rule.ts';
import type { Filter } from '../language/filter-schema.ts';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml, ZONE_A, ZONE_B } from '../testing/fixtures.ts';
import { alphaKey } from './alpha-key.ts';
import { EventContext } from './context.ts';
import { RuleIndex } from './rule-index.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const zones = new ZoneIndex([ZONE_A, ZONE_B]);
const env = { zones, timeZone: 'Europe/Paris' };
const match = (id: string, where: string, extra = '') => `id: ${id}\ntitle: "${id}"\nseverity: low\nkind: match\nwhere: ${where}\n${extra}`;

function indexOf(rules: CompiledRule[]) {
  return new RuleIndex(rules.map((rule) => ({ rule, stateless: rule.kind === 'match' })), zones);
}
const ctx = (e: Partial<Event>) => new EventContext({ id: 'x', source: 's', type: 'incident.a', time: '2026-11-28T20:00:00Z', ...e }, env);
const ids = (index: ReturnType<typeof indexOf>, e: Partial<Event>) => {
  const c = index.candidates(ctx(e));
  return [...c.onArrival, ...c.inOrder].map((x) => x.rule.id);
};

describe('alphaKey', () => {
  it('strings as they are, numbers and booleans as String gives them, nothing for missing or null', () => {
    expect([alphaKey('a'), alphaKey(5), alphaKey(4.5), alphaKey(true), alphaKey(false)]).toEqual(['a', '5', '4.5', 'true', 'false']);
    expect([alphaKey(undefined), alphaKey(null), alphaKey(Object.create(null))]).toEqual([undefined, undefined, undefined]);
  });
});

describe('RuleIndex by field value', () => {
  const index = indexOf([
    match('flag', '{ all: [ { type: "incident.*" }, { attributes.flag: true } ] }'),
    match('code-5', '{ attributes.code: 5 }'),
    match('code-str', '{ attributes.code: "5" }'),
    match('sources', '{ field: source, op: in, value: [csu, rtm] }'),
    match('any-source', '{ any: [ { source: csu }, { all: [ { source: tip }, { severity: 2 } ] } ] }'),
    match('any-mixed', '{ any: [ { source: csu }, { severity: 2 } ] }'),
    match('not-csu', '{ not: { source: csu } }'),
    match('glob', '{ source: "cs*" }'),
    match('plain', '{ type: "incident.*" }'),
  ].map((y) => ruleFromYaml(y)));

  it('a rule gated by a value is a candidate only for events with it; the others always; the rules keep their order', () => {
    expect(ids(index, { source: 'csu', attributes: { flag: true } })).toEqual(['flag', 'sources', 'any-source', 'any-mixed', 'not-csu', 'glob', 'plain']);
    expect(ids(index, { source: 'rtm', attributes: { flag: false } })).toEqual(['sources', 'any-mixed', 'not-csu', 'glob', 'plain']);
    expect(ids(index, { source: 'tip' })).toEqual(['any-source', 'any-mixed', 'not-csu', 'glob', 'plain']);
    // asked again: the remembered answer is the same
    expect(ids(index, { source: 'csu', attributes: { flag: true } })).toEqual(['flag', 'sources', 'any-source', 'any-mixed', 'not-csu', 'glob', 'plain']);
  });

  it('numbers and strings compare as the filter does; a missing field matches no value', () => {
    expect(ids(index, { attributes: { code: 5 } })).toEqual(['code-5', 'code-str', 'any-mixed', 'not-csu', 'glob', 'plain']);
    expect(ids(index, { attributes: { code: '5' } })).toEqual(['code-5', 'code-str', 'any-mixed', 'not-csu', 'glob', 'plain']);
    expect(ids(index, { attributes: { code: '05' } })).toEqual(['any-mixed', 'not-csu', 'glob', 'plain']);
    expect(ids(index, { attributes: { flag: 'true' } })).toContain('flag');
    expect(ids(index, {})).toEqual(['any-mixed', 'not-csu', 'glob', 'plain']);
  });

  it('a type whose events bring too many distinct values stops being split by value, and stays right', () => {
    const many = indexOf(['{ source: csu }', '{ source: rtm }', '{ type: "incident.*" }'].map((w, i) => ruleFromYaml(match(`r${i}`, w))));
    for (let i = 0; i < 500; i++) expect(ids(many, { source: `s${i}` })).toEqual(['r2']);
    for (let i = 500; i < 2000; i++) expect(ids(many, { source: `s${i}` })).toContain('r2');
    expect(ids(many, { source: 'csu' })).toEqual(['r0', 'r1', 'r2']);
    expect(ids(many, { source: 'tip' })).toEqual(['r0', 'r1', 'r2']); // no longer split: `accepts` decides
  });

  it('gates by value within zones', () => {
    const scoped = indexOf([
      match('a-csu', '{ all: [ { op: inZone, value: A }, { source: csu } ] }'),
      match('a-rtm', '{ all: [ { op: inZone, value: A }, { source: rtm } ] }'),
      match('b-csu', '{ all: [ { op: inZone, value: B }, { source: csu } ] }'),
      match('b', '{ op: inZone, value: B }'),
    ].map((y) => ruleFromYaml(y)));
    expect(ids(scoped, { source: 'csu', location: IN_A })).toEqual(['a-csu']);
    expect(ids(scoped, { source: 'tip', location: IN_A })).toEqual([]);
    // a lone gated rule in its place is not worth a lookup: `accepts` decides
    expect(ids(scoped, { source: 'tip', location: IN_B })).toEqual(['b-csu', 'b']);
  });
});

describe('the engine with rules gated by value', () => {
  it('a gated rule is not evaluated for events without its value, and still fires with it', () => {
    const asked = new Map<string, number>();
    const engine = engineWith([], [ZONE_A, ZONE_B]);
    engine.setRules([match('flag', '{ attributes.flag: true }'), match('red', '{ attributes.colour: red }'), match('any', '{ any: [ { source: csu }, { attributes.flag: true } ] }')].map((y) => {
      const r = ruleFromYaml(y);
      return { ...r, accepts: (e: EventContext) => (asked.set(r.id, (asked.get(r.id) ?? 0) + 1), r.accepts(e)) };
    }));
    expect(engine.ingest(ev('x.y', T0, { attributes: { flag: false } }))).toEqual([]);
    expect(engine.ingest(ev('x.y', T0))).toEqual([]);
    expect(asked.get('flag')).toBeUndefined();
    expect(engine.ingest(ev('x.y', T0, { attributes: { flag: true } })).map((t) => t.ruleId)).toEqual(['flag', 'any']);
    expect(engine.ingest({ ...ev('x.y', T0), source: 'csu' }).map((t) => t.ruleId)).toEqual(['any']);
    expect(asked.get('flag')).toBe(1);
    expect(asked.get('red')).toBeUndefined();
  });
});

// Random filters over a few fields and values (numbers, strings, booleans, globs), random events:
// every rule that accepts an event is among its candidates, in the rules' order.
const FIELDS = ['source', 'severity', 'attributes.flag', 'attributes.code'] as const;
const VALUES = ['csu', 'rtm', 'cs*', '5', 5, 4, true, false, 'true'] as const;
const arbScalar = fc.constantFrom(...VALUES);
const arbLeaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ f: fc.constantFrom(...FIELDS), v: arbScalar }).map(({ f, v }) => ({ [f]: v }) as Filter),
  fc.record({ f: fc.constantFrom(...FIELDS), v: fc.array(arbScalar, { minLength: 1, maxLength: 3 }) }).map(({ f, v }) => ({ [f]: v }) as Filter),
  fc.record({ f: fc.constantFrom(...FIELDS), op: fc.constantFrom('eq' as const, 'ne' as const), v: arbScalar }).map(({ f, op, v }) => ({ field: f, op, value: v })),
  fc.record({ f: fc.constantFrom(...FIELDS), op: fc.constantFrom('in' as const, 'nin' as const), v: fc.array(arbScalar, { minLength: 1, maxLength: 3 }) }).map(({ f, op, v }) => ({ field: f, op, value: v })),
  fc.record({ f: fc.constantFrom(...FIELDS), v: fc.boolean() }).map(({ f, v }) => ({ field: f, op: 'exists' as const, value: v })),
);
const arbFilter: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    arbLeaf,
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('f').map((not) => ({ not }))),
})).f;
const arbValue = fc.option(fc.constantFrom('csu', 'rtm', 'csx', '5', 5, 4, '4', true, false, 'true', 'false'), { nil: undefined });
const arbEvent = fc.record({
  source: fc.constantFrom('csu', 'rtm', 'csx', '5', 'true'),
  severity: fc.option(fc.constantFrom(4, 5), { nil: undefined }),
  flag: arbValue,
  code: arbValue,
});

describe('the alpha index never drops a rule that accepts', () => {
  it('for random filters and events', () => {
    fc.assert(fc.property(fc.array(arbFilter, { minLength: 1, maxLength: 6 }), fc.array(arbEvent, { minLength: 1, maxLength: 8 }), (filters, events) => {
      const rules = filters.map((where, i) => compileRule({ id: `r${i}`, title: 'T', severity: 'low', kind: 'match', enabled: true, actions: [], where } as never));
      const index = indexOf(rules);
      for (const { source, severity, flag, code } of events) {
        const attributes: Record<string, string | number | boolean> = {};
        if (flag !== undefined) attributes.flag = flag;
        if (code !== undefined) attributes.code = code;
        const e = ctx({ source, severity, attributes });
        const c = index.candidates(e).onArrival.map((x) => x.rule.id);
        const accepted = rules.filter((r) => r.accepts(e)).map((r) => r.id);
        expect(accepted.filter((id) => !c.includes(id))).toEqual([]);
        expect(c).toEqual(rules.map((r) => r.id).filter((id) => c.includes(id)));
      }
    }), { numRuns: 300 });
  });
});
