import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { sameDetection } from '../language/detection.ts';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml } from '../testing/fixtures.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000;
const THRESHOLD = 'id: cluster\ntitle: "{count} in {zone}"\nseverity: high\nkind: threshold\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n';
const LOWER = THRESHOLD.replace('gte: 3', 'gte: 2');
const THREE = 'id: three\ntitle: T\nseverity: high\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\n';
const SEQUENCE = 'id: dark\ntitle: T\nseverity: high\nkind: sequence\nsteps:\n  - { as: fault, where: { type: lighting.fault } }\n  - { as: accident, where: { type: "accident.*" } }\nwithin: 1h\nnear: 100m\n';
const QUIET = 'id: quiet\ntitle: "Silence {key}"\nseverity: low\nkind: absence\ngroupBy: source\nfor: 20m\n';
const inA = (m: number, type = 'incident.theft') => ev(type, T0 + m * MIN, { location: IN_A });
const inB = (m: number) => ev('incident.theft', T0 + m * MIN, { location: IN_B });
const run = (engine: ReturnType<typeof engineWith>, events: Event[]) => events.flatMap((e) => engine.ingest(e));
const brief = (ts: AlertTransition[]) => ts.map((t) => `${t.kind}:${t.ruleId}:${t.key}:${t.count}`);

describe('a new version of a rule', () => {
  it('that only words its alerts otherwise goes on from the old one\'s state, and is not cold', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1)]);
    engine.setRules([ruleFromYaml(THRESHOLD.replace('title: "{count} in {zone}"', 'title: "Vols : {count}"').replace('severity: high', 'severity: critical') + 'description: d\nactions: ["Patrouille"]\n', 2)]);
    expect(engine.coldRules()).toEqual([]);
    const [fired] = run(engine, [inA(2)]);
    expect(fired).toMatchObject({ kind: 'fired', ruleVersion: 2, count: 3, title: 'Vols : 3', severity: 'critical', actions: ['Patrouille'] });
  });

  it('whose keys are written in another order detects the same', () => {
    const a = ruleFromYaml(THRESHOLD).definition;
    const b = ruleFromYaml('id: cluster\nkind: threshold\ncount: { gte: 3 }\nwindow: 10m\ngroupBy: zone\nwhere: { type: "incident.*" }\nseverity: low\ntitle: X\n').definition;
    expect(sameDetection(a, b)).toBe(true);
    expect(sameDetection(a, ruleFromYaml(LOWER).definition)).toBe(false);
  });

  it('that detects otherwise starts empty and is cold: the span of stored events that rebuild it is up to the watermark', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1), inA(30)]);
    engine.setRules([ruleFromYaml(LOWER, 2)]);
    expect(engine.openKeys).toBe(0);
    expect(engine.coldRules()).toEqual([{ ruleId: 'cluster', kind: 'threshold', types: ['incident.*'], from: T0 + 20 * MIN, to: T0 + 30 * MIN }]);
  });

  it('rebuilt from the stored events behaves as if it had run all along', () => {
    // The same events to a v2 from the start, and to a v1 replaced by v2 then warmed up with what was stored.
    const events = [inA(0), inA(1), inB(2), inA(3), inB(9), inA(12), inA(13), inB(14), inA(26), inA(27), inA(40), inB(41)];
    const cut = 6; // replaced after inA(12)
    const all = engineWith([LOWER]);
    const allOut = run(all, events);
    const swapped = engineWith([THRESHOLD]);
    const before = run(swapped, events.slice(0, cut));
    swapped.setRules([ruleFromYaml(LOWER, 2)]);
    const warm = swapped.warmUp([...events.slice(0, cut)].reverse()); // any order
    // What the alerts should say at the swap: each key's state as the new version sees it (B's window at 12 holds only 9).
    expect(brief(warm)).toEqual(['updated:cluster:A:2']);
    const after = run(swapped, events.slice(cut));
    expect(brief(after)).toEqual(brief(allOut.filter((t) => t.at > T0 + 12 * MIN)));
    expect(before.length).toBeGreaterThan(0);
  });

  it('passes over stored events out of its span or refused by it, and events that already came are not counted twice', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(15), inA(16)]);
    engine.setRules([ruleFromYaml(LOWER, 2)]);
    const warm = engine.warmUp([inA(0), inA(15), inA(16), inA(16.5, 'accident.car'), inA(17)]); // 17 is past the watermark: still to come
    expect(brief(warm)).toEqual(['updated:cluster:A:2']);
    expect(brief(run(engine, [inA(17)]))).toEqual(['updated:cluster:A:3']);
    expect(engine.coldRules()).toEqual([]);
  });

  it('resolves the old version\'s alerts its rebuilt state does not hold (window kinds only)', () => {
    const engine = engineWith([THRESHOLD, SEQUENCE]);
    run(engine, [inA(0), inA(1), inA(2), inB(3), inB(4), inB(5)]);
    engine.setRules([ruleFromYaml(THRESHOLD.replace('gte: 3', 'gte: 4'), 2), ruleFromYaml(SEQUENCE.replace('near: 100m', 'near: 200m'), 2)]);
    const warm = engine.warmUp([inA(0), inA(1), inA(2), inB(3), inB(4), inB(5)], { held: [
      { ruleId: 'cluster', key: 'A' }, { ruleId: 'cluster', key: 'B' }, { ruleId: 'dark', key: 'test/x' }, { ruleId: 'gone', key: 'A' },
    ] });
    expect(brief(warm)).toEqual(['resolved:cluster:A:0', 'resolved:cluster:B:0']);
    expect(warm[0]!.explanation).toMatchObject({ kind: 'rule-changed', numbers: { version: 2, window: '10m' } });
    expect(warm[0]!.ruleVersion).toBe(2);
  });

  it('rebuilds a co-occurrence and a sequence: the next event completes them', () => {
    const engine = engineWith([THREE, SEQUENCE]);
    const events = [ev('incident.a', T0, { location: IN_A, source: 'csu' }), ev('incident.b', T0 + MIN, { location: IN_A, source: 'rtm' }), ev('lighting.fault', T0 + 2 * MIN, { location: IN_A, source: 'csu' })];
    run(engine, events);
    engine.setRules([ruleFromYaml(THREE.replace('near: 300m', 'near: 250m'), 2), ruleFromYaml(SEQUENCE.replace('within: 1h', 'within: 2h'), 2)]);
    expect(engine.warmUp(events)).toEqual([]);
    const out = run(engine, [ev('incident.c', T0 + 3 * MIN, { location: IN_A, source: 'citoyens' }), ev('accident.car', T0 + 4 * MIN, { location: IN_A })]);
    expect(out.map((t) => `${t.kind}:${t.ruleId}:${t.ruleVersion}`)).toEqual(['fired:three:2', 'updated:three:2', 'fired:dark:2']);
  });

  it('rebuilds an absence from twice its `for`: a source silent since before then is found silent', () => {
    const engine = engineWith([QUIET.replace('for: 20m', 'for: 30m')]);
    const events = [ev('x.y', T0, { source: 'csu' }), ev('x.y', T0 + 40 * MIN, { source: 'rtm' }), ev('x.y', T0 + 45 * MIN, { source: 'rtm' })];
    run(engine, events);
    engine.setRules([ruleFromYaml(QUIET, 2)]);
    expect(engine.coldRules()[0]).toMatchObject({ from: T0 + 5 * MIN, to: T0 + 45 * MIN });
    // csu's event at T0 is before the span: unknown to the new version; rtm's are known, and not silent.
    expect(engine.warmUp(events)).toEqual([]);
    expect(brief(engine.tick(T0 + 66 * MIN))).toEqual(['fired:quiet:rtm:0']);
  });

  it('knows a source gone quiet before its span from its last event before it (`lastBefore`), and finds it silent', () => {
    const engine = engineWith([QUIET.replace('for: 20m', 'for: 30m')]);
    const csu = ev('x.y', T0, { source: 'csu' }), older = ev('x.y', T0 - 5 * MIN, { source: 'pompiers' });
    const events = [csu, ev('x.y', T0 + 40 * MIN, { source: 'rtm' }), ev('x.y', T0 + 45 * MIN, { source: 'rtm' })];
    run(engine, events);
    engine.setRules([ruleFromYaml(QUIET, 2), ruleFromYaml(QUIET.replace('id: quiet', 'id: csu-only') + 'where: { source: pompiers }\n', 1)]);
    const warm = engine.warmUp(events, { lastBefore: [csu, older, ev('x.y', T0 + 40 * MIN, { source: 'rtm' })] });
    // csu silent since 0, pompiers since -5 (for the rule that watches it only); rtm's event in the span is no older one.
    expect(brief(warm).sort()).toEqual(['updated:csu-only:pompiers:0', 'updated:quiet:csu:0', 'updated:quiet:pompiers:0']);
    expect(warm.find((t) => t.key === 'csu')!.evidence.map((r) => r.id)).toEqual([csu.id]);
    expect(brief(run(engine, [ev('x.y', T0 + 47 * MIN, { source: 'csu' })]))).toEqual(['resolved:quiet:csu:0']);
  });

  it('left cold when events come first: they start from there, nothing is counted twice', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1)]);
    engine.setRules([ruleFromYaml(LOWER, 2)]);
    run(engine, [inA(2)]);
    expect(engine.coldRules()).toEqual([]);
    expect(engine.warmUp([inA(0), inA(1)])).toEqual([]);
    expect(brief(run(engine, [inA(3)]))).toEqual(['fired:cluster:A:2']);
  });

  it('a new rule is cold; a new engine and a match rule are not', () => {
    const engine = engineWith([THRESHOLD]);
    expect(engine.coldRules()).toEqual([]);
    run(engine, [inA(0)]);
    engine.setRules([ruleFromYaml(THRESHOLD), ruleFromYaml(THREE), ruleFromYaml('id: m\ntitle: T\nseverity: low\nkind: match\n')]);
    expect(engine.coldRules().map((c) => c.ruleId)).toEqual(['three']);
  });
});

describe('a snapshot restored under a new version', () => {
  it('resumes a version that only words its alerts otherwise; a version that detects otherwise is cold', () => {
    const first = engineWith([THRESHOLD, THREE]);
    run(first, [inA(0), inA(1)]);
    const snap = JSON.parse(JSON.stringify(first.snapshot()));
    const restarted = engineWith([]);
    restarted.setRules([ruleFromYaml(THRESHOLD.replace('severity: high', 'severity: low'), 2), ruleFromYaml(THREE.replace('min: 3', 'min: 2'), 2)]);
    restarted.restore(snap);
    expect(restarted.coldRules().map((c) => c.ruleId)).toEqual(['three']);
    expect(restarted.warmUp([inA(0), inA(1)])).toEqual([]);
    expect(brief(run(restarted, [inA(2)]))).toEqual(['fired:cluster:A:3']);
  });
});

describe('a new version of another kind', () => {
  const MATCH = 'id: cluster\ntitle: T\nseverity: high\nkind: match\nwhere: { type: "incident.*" }\n';
  const held = (key: string, kind: string) => ({ ruleId: 'cluster', key, kind });

  it('as a match rule, ends the alerts last told by the kind before, not its own, with no events to read', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1), inA(2)]);
    engine.setRules([ruleFromYaml(MATCH, 2)]);
    expect(engine.coldRules()).toEqual([]);
    const ended = engine.endOtherKinds([held('A', 'threshold'), held('test/e9', 'match'), { ruleId: 'cluster', key: 'B' }, { ruleId: 'gone', key: 'A', kind: 'threshold' }], T0 + 60 * MIN);
    expect(brief(ended)).toEqual(['resolved:cluster:A:0']);
    expect(ended[0]!.explanation).toMatchObject({ kind: 'rule-kind-changed', numbers: { version: 2, previousKind: 'threshold', ruleKind: 'match' } });
    expect(ended[0]!.ruleVersion).toBe(2);
    expect(ended[0]!.at).toBe(engine.watermark);
    // Before the engine has a watermark (a start with no snapshot, no event yet): at the clock given.
    const fresh = engineWith([MATCH]);
    expect(fresh.endOtherKinds([held('A', 'threshold')], T0 + 60 * MIN).map((t) => t.at)).toEqual([T0 + 60 * MIN]);
  });

  it('across a disabled version, still ends the alerts of the kind before', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1), inA(2)]);
    engine.setRules([ruleFromYaml(THRESHOLD + 'enabled: false\n', 2)]);
    engine.setRules([ruleFromYaml(MATCH, 3)]);
    expect(brief(engine.endOtherKinds([held('A', 'threshold')], T0 + 60 * MIN))).toEqual(['resolved:cluster:A:0']);
  });

  it('as an absence rule, says the silences it finds (the alert then told by it) and takes on none of the kind before', () => {
    const engine = engineWith([THRESHOLD]);
    const events = [inA(0), inA(1), inA(2), inB(3), inA(15), inA(30), inA(40)];
    run(engine, events);
    engine.setRules([ruleFromYaml(QUIET.replace('id: quiet', 'id: cluster').replace('groupBy: source', 'groupBy: zone'), 2)]);
    const warm = engine.warmUp(events, { held: [held('A', 'threshold'), held('B', 'threshold'), { ...held('C', 'threshold'), since: T0 - 60 * MIN }] });
    // B is silent since 3: its alert goes on as the silence; A never was; C is no silence of the rule's, not taken on.
    expect(brief(warm)).toEqual(['updated:cluster:B:0']);
    expect(brief(engine.endOtherKinds([held('A', 'threshold'), held('B', 'absence'), held('C', 'threshold')], T0 + 60 * MIN))).toEqual(['resolved:cluster:A:0', 'resolved:cluster:C:0']);
  });

  it('as a window kind, ends on its rebuild what its state does not hold, and keeps the same key if it does', () => {
    const engine = engineWith([THREE]);
    run(engine, [inA(0)]);
    engine.setRules([ruleFromYaml(THRESHOLD.replace('id: cluster', 'id: three').replace('gte: 3', 'gte: 1'), 2)]);
    const warm = engine.warmUp([inA(0)], { held: [{ ruleId: 'three', key: 'A', kind: 'cooccurrence' }, { ruleId: 'three', key: 'test/e1', kind: 'cooccurrence' }] });
    expect(brief(warm)).toEqual(['updated:three:A:1', 'resolved:three:test/e1:0']);
    expect(warm[1]!.explanation.kind).toBe('rule-kind-changed');
    // Its held key is not ended afterwards either.
    expect(engine.endOtherKinds([{ ruleId: 'three', key: 'A', kind: 'cooccurrence' }], T0 + 60 * MIN)).toEqual([]);
  });
});

describe('a sequence rule rebuilt', () => {
  it('does not raise again a sequence completed before the change', () => {
    const engine = engineWith([SEQUENCE]);
    const events = [ev('lighting.fault', T0, { location: IN_A }), ev('accident.car', T0 + MIN, { location: IN_A })];
    expect(brief(run(engine, events))).toHaveLength(1);
    engine.setRules([ruleFromYaml(SEQUENCE.replace('near: 100m', 'near: 200m'), 2)]);
    expect(engine.warmUp(events)).toEqual([]);
    // Its steps are rebuilt all the same: the fault, still within the hour, pairs with the next accident.
    expect(run(engine, [ev('accident.car', T0 + 2 * MIN, { location: IN_A })]).map((t) => `${t.kind}:${t.ruleVersion}`)).toEqual(['updated:2']); // on the key the first sequence opened, as all along
  });
});

describe('a rule rebuilt (review)', () => {
  const EARLY = 'id: cluster\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nearly: true\n';

  it('does not end an alert fired early whose events still wait in the reorder buffer (the new version took it over)', () => {
    const early = engineWith([EARLY], undefined, { lateness: 2 * MIN });
    run(early, [inA(-20)]); // a watermark
    expect(brief(run(early, [inA(0), inA(0.5), inA(1)]))).toEqual(['fired:cluster:A:3']);
    early.setRules([ruleFromYaml(EARLY.replace('window: 10m', 'window: 11m'), 2)]);
    expect(early.warmUp([inA(-20)], { held: [{ ruleId: 'cluster', key: 'A' }] })).toEqual([]);
    expect(brief(early.tick(T0 + 5 * MIN))).toEqual(['updated:cluster:A:3']);
  });

  it('fires early on what the events still waiting complete with the rebuilt state, as on their arrival', () => {
    const lower = EARLY.replace('gte: 3', 'gte: 4');
    const engine = engineWith([lower], undefined, { lateness: 2 * MIN });
    run(engine, [inA(0), inA(1)]);
    engine.tick(T0 + 4 * MIN); // 0 and 1 evaluated in order
    expect(run(engine, [inA(3)])).toEqual([]); // waits in the buffer: 3 of 4
    engine.setRules([ruleFromYaml(EARLY, 2)]); // 3 are enough now
    expect(brief(engine.warmUp([inA(0), inA(1)]))).toEqual(['updated:cluster:A:3']);
    // Evaluated in order later: the same alert, not a second firing.
    expect(brief(engine.tick(T0 + 6 * MIN))).toEqual(['updated:cluster:A:3']);
  });

  it('says a silence that holds now, but not one whose alert an operator closed during it', () => {
    const events = [ev('x.y', T0, { source: 'csu' }), ...[15, 30, 45].map((m) => ev('x.y', T0 + m * MIN, { source: 'rtm' }))];
    const engine = engineWith([QUIET]);
    expect(brief(run(engine, events))).toEqual(['fired:quiet:csu:0']);
    engine.setRules([ruleFromYaml(QUIET.replace('for: 20m', 'for: 25m'), 2)]);
    expect(engine.warmUp(events, { closed: [{ ruleId: 'quiet', key: 'csu', at: T0 + 22 * MIN }] })).toEqual([]);
    // Closed before this silence began (an earlier one): said.
    engine.setRules([ruleFromYaml(QUIET.replace('for: 20m', 'for: 26m'), 3)]);
    expect(brief(engine.warmUp(events, { closed: [{ ruleId: 'quiet', key: 'csu', at: T0 - MIN }] }))).toEqual(['updated:quiet:csu:0']);
    // A new rule over a silence already there: said, as all along.
    engine.setRules([ruleFromYaml(QUIET.replace('id: quiet', 'id: hush').replace('for: 20m', 'for: 25m'))]);
    expect(brief(engine.warmUp(events))).toEqual(['updated:hush:csu:0']);
    engine.setRules([ruleFromYaml(QUIET.replace('for: 20m', 'for: 30m'), 4)]);
    expect(brief(engine.warmUp(events, { held: [{ ruleId: 'quiet', key: 'csu' }] }))).toEqual(['updated:quiet:csu:0']);
    // Its state knows the silence all the same: csu back is its end, as all along.
    expect(brief(run(engine, [ev('x.y', T0 + 50 * MIN, { source: 'csu' })]))).toEqual(['resolved:quiet:csu:0']);
  });

  it('takes on an absence alert\'s silence older than the events it reads: the key speaking again ends it, as all along', () => {
    const events = [ev('x.y', T0, { source: 'csu' }), ...[40, 55, 70].map((m) => ev('x.y', T0 + m * MIN, { source: 'rtm' }))];
    const engine = engineWith([QUIET]);
    expect(brief(run(engine, events))).toEqual(['fired:quiet:csu:0']);
    engine.setRules([ruleFromYaml(QUIET.replace('for: 20m', 'for: 25m'), 2)]); // looks back 50 min: csu's last event is older
    expect(engine.warmUp(events, { held: [{ ruleId: 'quiet', key: 'csu', since: T0 }], complete: false })).toEqual([]); // taken on even so
    expect(brief(run(engine, [ev('x.y', T0 + 75 * MIN, { source: 'csu' })]))).toEqual(['resolved:quiet:csu:0']);
  });

  it('shows no event of a one-off upload to an absence rule', () => {
    const upload = ev('x.y', T0 + 10 * MIN, { source: 'csu' });
    const events = [ev('x.y', T0, { source: 'csu' }), upload, ev('x.y', T0 + 45 * MIN, { source: 'rtm' })];
    const engine = engineWith([QUIET]);
    run(engine, [events[0]!, events[2]!]);
    engine.ingest(upload, { imported: true });
    engine.setRules([ruleFromYaml(QUIET.replace('for: 20m', 'for: 30m'), 2)]);
    expect(brief(engine.warmUp(events, { held: [{ ruleId: 'quiet', key: 'csu' }], imported: (e) => e === upload }))).toEqual(['updated:quiet:csu:0']);
  });

  it('ends nothing when the events given may not be all', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0), inA(1), inA(2)]);
    engine.setRules([ruleFromYaml(THRESHOLD.replace('gte: 3', 'gte: 4'), 2)]);
    expect(engine.warmUp([inA(1), inA(2)], { held: [{ ruleId: 'cluster', key: 'A' }], complete: false })).toEqual([]);
  });

  it('keeps the key of a co-occurrence fed for longer than its `within`', () => {
    const sources = ['csu', 'rtm', 'citoyens'];
    const events = Array.from({ length: 11 }, (_, i) => ev('incident.x', T0 + i * 3 * MIN, { location: IN_A, source: sources[i % 3] }));
    const v2 = THREE.replace('near: 300m', 'near: 301m');
    const keys = [...new Set(run(engineWith([v2]), events).map((t) => t.key))];
    expect(keys).toHaveLength(1);
    const swapped = engineWith([THREE]);
    run(swapped, events);
    swapped.setRules([ruleFromYaml(v2, 2)]);
    expect(brief(swapped.warmUp(events, { held: [{ ruleId: 'three', key: keys[0]! }] }))).toEqual([`updated:three:${keys[0]}:3`]);
  });

  it('reads for a sequence rule only the types of its steps and `unless`', () => {
    const engine = engineWith([THRESHOLD]);
    run(engine, [inA(0)]);
    engine.setRules([ruleFromYaml(THRESHOLD), ruleFromYaml(SEQUENCE + 'unless: { where: { type: lighting.repaired } }\n')]);
    expect(engine.coldRules()).toEqual([expect.objectContaining({ ruleId: 'dark', types: ['lighting.fault', 'accident.*', 'lighting.repaired'] })]);
    engine.setRules([ruleFromYaml(THRESHOLD), ruleFromYaml(SEQUENCE.replace('{ as: fault, where: { type: lighting.fault } }', '{ as: fault, where: { severity: 5 } }'), 2)]);
    expect(engine.coldRules()[0]!.types).toBeUndefined();
  });
});
