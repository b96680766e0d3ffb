import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { learnBaseline, HOURS_PER_WEEK } from '../baseline/baseline.ts';
import { engineWith, ev, IN_A, IN_B, squareZone, ZONE_A, ZONE_B } from '../testing/fixtures.ts';
import type { Engine } from './engine.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z'); // Saturday 21:00 in Paris
const MIN = 60_000;
const run = (engine: Engine, events: Event[]) => events.flatMap((e) => engine.ingest(e));
const at = (lat: number, lon: number) => ({ lat, lon });
/** A point `m` metres north of IN_A. */
const north = (m: number) => at(IN_A.lat + m / 111_320, IN_A.lon);

describe('threshold: sum and distinct', () => {
  it('sums a field over the window', () => {
    const engine = engineWith([`id: injured\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 1h\nsum: { field: attributes.injured, gte: 5 }\n`]);
    const hurt = (n: number, m: number) => ev('accident.x', T0 + m * MIN, { location: IN_A, attributes: { injured: n } });
    expect(run(engine, [hurt(2, 0), hurt(2, 1)])).toEqual([]);
    expect(run(engine, [hurt(1, 2)])[0]).toMatchObject({ kind: 'fired', count: 5 });
  });

  it('says what it measured, where, and against which bound; then that it is back under', () => {
    const engine = engineWith([`id: injured\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 1h\nsum: { field: attributes.injured, gte: 5 }\n`]);
    const hurt = (n: number, m: number) => ev('accident.x', T0 + m * MIN, { location: IN_A, attributes: { injured: n } });
    const [fired] = run(engine, [hurt(2, 0), hurt(3, 1)]);
    expect(fired!.explanation).toMatchObject({
      kind: 'threshold', summary: 'sum of attributes.injured 5 within 1h for zone A (threshold 5)',
      numbers: { count: 5, threshold: 5, window: '1h', groupBy: 'zone', key: 'A', events: 2 },
    });
    const [resolved] = engine.tick(T0 + 60 * MIN); // the first event leaves the window
    expect(resolved!.explanation).toMatchObject({ kind: 'threshold-cleared', summary: 'back under the threshold: sum of attributes.injured 3 within 1h (threshold 5)' });
  });

  it('counts distinct values of a field', () => {
    const engine = engineWith([`id: multi\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 10m\ndistinct: { field: source, gte: 3 }\n`]);
    const from = (source: string, m: number) => ({ ...ev('incident.x', T0 + m * MIN, { location: IN_A }), source });
    expect(run(engine, [from('csu', 0), from('csu', 1), from('rtm', 2), from('rtm', 3)])).toEqual([]);
    expect(run(engine, [from('citoyens', 4)])[0]).toMatchObject({ kind: 'fired', count: 3 });
  });

  it('groups by zone without a warning\'s temporary area (one over the whole city would count it all), which zone:warning names', () => {
    const CITY = { ...squareZone('cap-x#0-0', 43.2, 5.3, 0.2, 'warning'), expiresAt: '2099-01-01T00:00:00Z' };
    const yaml = (groupBy: string) => `id: g\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: "${groupBy}"\nwindow: 10m\ncount: { gte: 3 }\n`;
    const events = [ev('incident.x', T0, { location: IN_A }), ev('incident.x', T0 + MIN, { location: IN_B }), ev('incident.x', T0 + 2 * MIN, { location: IN_A })];
    expect(run(engineWith([yaml('zone')], [ZONE_A, ZONE_B, CITY]), events)).toEqual([]);
    expect(run(engineWith([yaml('zone:warning')], [ZONE_A, ZONE_B, CITY]), events).map((t) => t.key)).toEqual(['cap-x#0-0']);
  });

  it('groups by H3 cell', () => {
    const engine = engineWith([`id: cell\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: "cell:9"\nwindow: 10m\ncount: { gte: 2 }\n`]);
    expect(run(engine, [ev('x.a', T0, { location: IN_A }), ev('x.a', T0, { location: IN_B })])).toEqual([]);
    const [t] = run(engine, [ev('x.a', T0 + MIN, { location: north(5) })]);
    expect(t!.key).toMatch(/^89/); // an H3 index at resolution 9
  });
});

describe('anomaly', () => {
  const RULE = `id: surge\ntitle: "Surge in {zone}"\nseverity: high\nkind: anomaly\ngroupBy: zone\nwindow: 1h\npValue: 0.001\nminCount: 5\n`;
  const flat = (perHour: number) => ({ ...learnBaseline(new Map(), 1), groups: { A: new Array(HOURS_PER_WEEK).fill(perHour) }, city: new Array(HOURS_PER_WEEK).fill(perHour) });
  const burst = (n: number) => Array.from({ length: n }, (_, i) => ev('incident.x', T0 + i * MIN, { location: IN_A }));

  it('no baseline yet: no alert, and the rule says it waits for one', () => {
    const engine = engineWith([RULE]);
    expect(run(engine, burst(30))).toEqual([]);
    expect(engine.ruleStatus()[0]).toMatchObject({ ruleId: 'surge', state: 'waiting-for-baseline' });
  });

  it('fires when the count is improbable for this hour of the week, with the numbers', () => {
    const engine = engineWith([RULE]);
    engine.setBaselines({ surge: flat(1) });
    const out = run(engine, burst(8));
    const fired = out.find((t) => t.kind === 'fired')!;
    expect(fired).toMatchObject({ key: 'A', title: 'Surge in Zone A' });
    // P(X ≥ 6 | λ = 1) ≈ 0.00059 < 0.001; P(X ≥ 5 | 1) ≈ 0.0037 is not enough
    expect(fired.count).toBe(6);
    expect(fired.explanation.numbers).toMatchObject({ count: 6, expected: 1 });
    expect(Number(fired.explanation.numbers.pValue)).toBeLessThan(0.001);
    expect(engine.ruleStatus()[0]!.state).toBe('running');
  });

  it('raises nothing for a temporary zone (a warning\'s area): it has no history of its own, whatever the city\'s usual rate', () => {
    const warning = { ...ZONE_A, id: 'W', name: 'Vigilance orages', kind: 'warning', expiresAt: '2026-11-29T00:00:00Z' };
    const engine = engineWith([RULE], [ZONE_A, warning]);
    engine.setBaselines({ surge: flat(1) });
    const out = run(engine, burst(8));
    expect([...new Set(out.map((t) => t.key))]).toEqual(['A']);
  });

  it('stays quiet when the usual rate explains the count, and at minCount', () => {
    const engine = engineWith([RULE]);
    engine.setBaselines({ surge: flat(10) });
    expect(run(engine, burst(12))).toEqual([]);
    const rare = engineWith([RULE.replace('minCount: 5', 'minCount: 20')]);
    rare.setBaselines({ surge: flat(0.01) });
    expect(run(rare, burst(10))).toEqual([]);
  });

  it('resolves once the window slides back to the usual', () => {
    const engine = engineWith([RULE]);
    engine.setBaselines({ surge: flat(1) });
    run(engine, burst(8));
    const later = engine.tick(T0 + 3 * 60 * MIN);
    expect(later.find((t) => t.kind === 'resolved')).toMatchObject({ key: 'A' });
  });
});

describe('sequence', () => {
  const DARK = [
    'id: dark', 'title: "Accident near a light out since {fault.time|ago}"', 'severity: high', 'kind: sequence',
    'steps:', '  - { as: fault, where: { type: lighting.fault } }', '  - { as: accident, where: { type: "accident.*" } }',
    'within: 24h', 'near: 50m', 'unless: { where: { type: lighting.repaired }, same: attributes.lampId }',
  ].join('\n');
  const fault = (m: number, lamp = 'L1') => ev('lighting.fault', T0 + m * MIN, { location: IN_A, attributes: { lampId: lamp } });

  it('fires when the steps come in order, near each other, within the span', () => {
    const engine = engineWith([DARK]);
    const out = run(engine, [fault(0), ev('accident.bike', T0 + 180 * MIN, { location: north(30) })]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'fired', title: 'Accident near a light out since 3h' });
    expect(out[0]!.evidence.map((e) => e.type)).toEqual(['lighting.fault', 'accident.bike']);
    expect(out[0]!.explanation.numbers).toMatchObject({ duration: '3h', distanceMeters: 30 });
  });

  it('does not fire out of order, too far, or too late', () => {
    expect(run(engineWith([DARK]), [ev('accident.bike', T0, { location: IN_A }), fault(1)])).toEqual([]);
    expect(run(engineWith([DARK]), [fault(0), ev('accident.bike', T0 + MIN, { location: north(80) })])).toEqual([]);
    expect(run(engineWith([DARK]), [fault(0), ev('accident.bike', T0 + 24 * 60 * MIN + 1, { location: IN_A })])).toEqual([]);
  });

  it('an unless event on the same lamp cancels; on another lamp it does not', () => {
    const repaired = (lamp: string) => ev('lighting.repaired', T0 + 10 * MIN, { location: IN_A, attributes: { lampId: lamp } });
    const crash = ev('accident.car', T0 + 20 * MIN, { location: IN_A });
    expect(run(engineWith([DARK]), [fault(0), repaired('L1'), crash])).toEqual([]);
    expect(run(engineWith([DARK]), [fault(0), repaired('L2'), crash])).toHaveLength(1);
  });

  it('a second completion of the same beginning updates its alert', () => {
    const engine = engineWith([DARK]);
    const out = run(engine, [fault(0), ev('accident.a', T0 + MIN, { location: IN_A }), ev('accident.b', T0 + 2 * MIN, { location: IN_A })]);
    expect(out.map((t) => `${t.kind}:${t.count}`)).toEqual(['fired:1', 'updated:2']);
    expect(new Set(out.map((t) => t.key)).size).toBe(1);
  });
});

describe('cooccurrence', () => {
  const RULE = `id: three\ntitle: "{count} sources"\nseverity: high\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\n`;
  const from = (source: string, m: number, where = IN_A) => ({ ...ev('incident.x', T0 + m * MIN, { location: where }), source });

  it('fires at three distinct sources within 300 m and 10 minutes, then updates', () => {
    const engine = engineWith([RULE]);
    expect(run(engine, [from('csu', 0), from('csu', 1), from('rtm', 2, north(200))])).toEqual([]);
    const [fired] = run(engine, [from('citoyens', 3, north(250))]);
    expect(fired).toMatchObject({ kind: 'fired', count: 3, title: '3 sources' });
    expect(fired!.explanation.numbers).toMatchObject({ distinct: 3, min: 3 });
    const [again] = run(engine, [from('ap-hm', 4)]);
    expect(again).toMatchObject({ kind: 'updated', key: fired!.key, count: 4 });
  });

  it('not when too far apart or too spread in time', () => {
    expect(run(engineWith([RULE]), [from('a', 0), from('b', 1), from('c', 2, north(400))])).toEqual([]);
    expect(run(engineWith([RULE]), [from('a', 0), from('b', 5), from('c', 10)])).toEqual([]);
  });

  it('resolves after a quiet spell, and says how long it waited', () => {
    const engine = engineWith([RULE]);
    run(engine, [from('a', 0), from('b', 1), from('c', 2)]);
    const resolved = engine.tick(T0 + 30 * MIN);
    expect(resolved.map((t) => t.kind)).toEqual(['resolved']);
    expect(resolved[0]!.explanation).toMatchObject({ kind: 'cooccurrence-cleared', summary: 'quiet for 10m' });
    expect(resolved[0]!.explanation.numbers).toEqual({ distinct: 3, window: '10m' });
  });

  describe('without distinct: events counted (a cluster)', () => {
    const CLUSTER = `id: spot\ntitle: T\nseverity: low\nkind: cooccurrence\nmin: 3\nwithin: 24h\nnear: 100m\n`;

    it('fires at three events within 100 m of the latest, whatever their source, and says so in events', () => {
      const engine = engineWith([CLUSTER]);
      expect(run(engine, [from('citoyens', 0), from('citoyens', 300, north(60))])).toEqual([]);
      const [fired] = run(engine, [from('citoyens', 600, north(90))]);
      expect(fired).toMatchObject({ kind: 'fired', count: 3 });
      expect(fired!.explanation).toMatchObject({ kind: 'cooccurrence-events', numbers: { events: 3, min: 3, duration: '10h', maxDistanceMeters: 90 } });
      expect(fired!.explanation.summary).toBe('3 events within 10h and 90 m');
      expect(fired!.explanation.numbers).not.toHaveProperty('values');
      expect(run(engine, [from('citoyens', 700, north(10))])[0]).toMatchObject({ kind: 'updated', key: fired!.key, count: 4 });
    });

    it('resolves after a quiet spell, counting events', () => {
      const engine = engineWith([CLUSTER]);
      run(engine, [from('a', 0), from('a', 1), from('a', 2)]);
      const [resolved] = engine.tick(T0 + 25 * 60 * MIN);
      expect(resolved!.explanation).toMatchObject({ kind: 'cooccurrence-cleared', summary: 'quiet for 1d' });
      expect(resolved!.explanation.numbers).toEqual({ events: 3, window: '1d' });
    });

    it('not when one of the three is farther than 100 m from the last, or older than 24 h', () => {
      expect(run(engineWith([CLUSTER]), [from('a', 0), from('a', 1), from('a', 2, north(150))])).toEqual([]);
      expect(run(engineWith([CLUSTER]), [from('a', 0), from('a', 1), from('a', 24 * 60)])).toEqual([]);
    });
  });
});

describe('absence', () => {
  const RULE = `id: silent\ntitle: "Feed {key} silent"\nseverity: medium\nkind: absence\ngroupBy: source\nfor: 30m\nexpect: [csu, rtm]\n`;

  it('fires once per silent key after the span, and the next event resolves it', () => {
    const engine = engineWith([RULE]);
    engine.tick(T0);
    run(engine, [{ ...ev('incident.x', T0 + MIN), source: 'csu' }]);
    expect(engine.tick(T0 + 29 * MIN)).toEqual([]);
    const silent = engine.tick(T0 + 30 * MIN);
    expect(silent.map((t) => `${t.kind}:${t.key}`)).toEqual(['fired:rtm']);
    expect(engine.tick(T0 + 31 * MIN).map((t) => `${t.kind}:${t.key}`)).toEqual(['fired:csu']);
    expect(engine.tick(T0 + 40 * MIN)).toEqual([]);
    const back = run(engine, [{ ...ev('transport.delay', T0 + 41 * MIN), source: 'rtm' }]);
    expect(back.map((t) => `${t.kind}:${t.key}`)).toEqual(['resolved:rtm']);
    expect(back[0]!.title).toBe('Feed rtm silent');
  });

  it('with for: auto, a gap fires only where the usual rate makes it unlikely', () => {
    const auto = RULE.replace('for: 30m', 'for: auto\npValue: 0.01').replace('expect: [csu, rtm]', 'expect: [busy, quiet]');
    const engine = engineWith([auto]);
    const rates = (r: number) => new Array(HOURS_PER_WEEK).fill(r);
    engine.setBaselines({ silent: { weeks: 4, groups: { busy: rates(60), quiet: rates(0.5) }, city: rates(1) } });
    engine.tick(T0);
    // after 5 min, busy expected 5 events: P(0) = e^-5 ≈ 0.0067 < 0.01; quiet expects 0.04
    expect(engine.tick(T0 + 5 * MIN).map((t) => t.key)).toEqual(['busy']);
    expect(engine.tick(T0 + 60 * MIN)).toEqual([]);
  });
});

describe('event time, lateness and the clock', () => {
  const CLUSTER = `id: cluster\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n`;
  const summary = (ts: AlertTransition[]) => ts.map((t) => `${t.kind}:${t.key}:${t.count}:${t.evidence.map((e) => e.id).join('+')}`);

  it('events shuffled within the allowed lateness give exactly the alerts of the in-order stream', () => {
    const events = Array.from({ length: 40 }, (_, i) => ev('incident.x', T0 + i * 20_000, { location: i % 3 ? IN_A : IN_B }));
    const ordered = engineWith([CLUSTER], [ZONE_A, ZONE_B], { lateness: 120_000 });
    const a = [...run(ordered, events), ...ordered.flush()];
    // a deterministic shuffle: each event moves by at most 100 s
    const shuffled = events.map((e, i) => ({ e, k: i * 20_000 + ((i * 7919) % 5) * 25_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
    expect(shuffled.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
    const other = engineWith([CLUSTER], [ZONE_A, ZONE_B], { lateness: 120_000 });
    const b = [...run(other, shuffled), ...other.flush()];
    expect(summary(b)).toEqual(summary(a));
    expect(a.length).toBeGreaterThan(0);
    expect(other.stats.late).toBe(0);
  });

  it('an event later than the lateness is still evaluated, counted and reported', () => {
    const engine = engineWith([CLUSTER], [ZONE_A], { lateness: 60_000 });
    run(engine, [ev('incident.x', T0 + 10 * MIN, { location: IN_A })]);
    const late = ev('incident.x', T0 + 5 * MIN, { location: IN_A });
    run(engine, [late]);
    expect(engine.stats.late).toBe(1);
    expect(engine.takeNotices()).toEqual([{ kind: 'late', source: 'test', id: late.id, time: late.time, lateByMs: 4 * MIN }]);
    expect(engine.takeNotices()).toEqual([]);
  });

  it('events stamped beyond the clock skew are flagged and do not move the watermark', () => {
    const engine = engineWith([CLUSTER], [ZONE_A], { lateness: 60_000, maxFutureSkew: 5 * MIN });
    engine.tick(T0);
    run(engine, [ev('incident.x', T0 + 60 * MIN, { location: IN_A })]);
    expect(engine.stats.future).toBe(1);
    expect(engine.takeNotices()[0]).toMatchObject({ kind: 'future', aheadByMs: 55 * MIN });
    expect(engine.watermark).toBe(T0 - 60_000);
  });

  it('the clock given to tick releases buffered events when the stream stops', () => {
    const engine = engineWith([CLUSTER], [ZONE_A], { lateness: 120_000 });
    const out = run(engine, [0, 1, 2].map((i) => ev('incident.x', T0 + i * 1000, { location: IN_A })));
    expect(out).toEqual([]);
    expect(engine.stats.buffered).toBe(3);
    expect(engine.tick(T0 + 2000 + 120_000).map((t) => t.kind)).toEqual(['fired']);
  });

  it('stateless match rules answer on arrival, without waiting for the watermark', () => {
    const engine = engineWith([`id: m\ntitle: T\nseverity: low\nkind: match\nwhere: { type: a.b }\n`], [ZONE_A], { lateness: 120_000 });
    expect(run(engine, [ev('a.b', T0)])).toHaveLength(1);
  });

  it('a snapshot keeps buffered events and windows: restored, nothing is lost or doubled', () => {
    const events = [0, 1, 2, 3].map((i) => ev('incident.x', T0 + i * 1000, { location: IN_A }));
    const whole = engineWith([CLUSTER], [ZONE_A], { lateness: 120_000 });
    const expected = summary([...run(whole, events), ...whole.flush()]);
    const first = engineWith([CLUSTER], [ZONE_A], { lateness: 120_000 });
    const before = run(first, events.slice(0, 2));
    const second = engineWith([CLUSTER], [ZONE_A], { lateness: 120_000 });
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(summary([...before, ...run(second, events.slice(2)), ...second.flush()])).toEqual(expected);
  });
});

describe('schedules, the calendar and daylight saving', () => {
  it('activeDuring cron is read on local time, across the spring change', () => {
    const engine = engineWith([`id: night\ntitle: T\nseverity: low\nkind: match\nactiveDuring: { cron: "* 3 * * *" }\n`]);
    // 2026-03-29: clocks go from 02:00 to 03:00 in Paris; 01:30Z is 03:30 local (summer time)
    expect(run(engine, [ev('x.y', '2026-03-29T01:30:00Z')])).toHaveLength(1);
    // the day before, 01:30Z is 02:30 local (winter time)
    expect(run(engine, [ev('x.y', '2026-03-28T01:30:00Z')])).toHaveLength(0);
    // after the autumn change (2026-10-25 01:00Z), 02:30Z is 03:30 in winter time
    expect(run(engine, [ev('x.y', '2026-10-25T02:30:00Z')])).toHaveLength(1); // 03:30 CET
  });

  it('activeDuring a calendar kind and phase', () => {
    const engine = engineWith([`id: exit\ntitle: T\nseverity: low\nkind: match\nactiveDuring: { calendar: match, phase: departure }\n`]);
    engine.setCalendar([{ id: 'om-psg', kind: 'match', start: T0, end: T0 + 120 * MIN, phases: { departure: [T0 + 110 * MIN, T0 + 180 * MIN] } }]);
    expect(run(engine, [ev('crowd.report', T0 + 60 * MIN)])).toHaveLength(0);
    expect(run(engine, [ev('crowd.report', T0 + 150 * MIN)])).toHaveLength(1);
    expect(run(engine, [ev('crowd.report', T0 + 180 * MIN)])).toHaveLength(0);
  });
});
