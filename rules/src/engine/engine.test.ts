import { describe, expect, it } from 'vitest';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml } from '../testing/fixtures.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000;

const THRESHOLD = `id: cluster\ntitle: "{count} in {window} in {zone}"\nseverity: high\nkind: threshold\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nactions: ["Patrol {zone}"]\n`;
const MATCH = `id: crash\ntitle: "Crash ({event.type})"\nseverity: critical\nkind: match\nwhere: { type: "accident.*", severity: [4, 5] }\n`;

describe('threshold', () => {
  it('fires at the count, updates while open, resolves when the window slides past', () => {
    const engine = engineWith([THRESHOLD]);
    expect(engine.ingest(ev('incident.theft', T0, { location: IN_A }))).toEqual([]);
    expect(engine.ingest(ev('incident.theft', T0 + MIN, { location: IN_A }))).toEqual([]);
    const [fired] = engine.ingest(ev('incident.fight', T0 + 2 * MIN, { location: IN_A }));
    expect(fired).toMatchObject({ kind: 'fired', ruleId: 'cluster', key: 'A', count: 3, zones: ['A'], severity: 'high', title: '3 in 10 min in Zone A', actions: ['Patrol Zone A'] });
    expect(fired!.evidence).toHaveLength(3);
    expect(fired!.explanation.numbers).toMatchObject({ count: 3, threshold: 3, window: '10m' });
    expect(fired!.location!.lat).toBeCloseTo(IN_A.lat);

    const [updated] = engine.ingest(ev('incident.fight', T0 + 3 * MIN, { location: IN_A }));
    expect(updated).toMatchObject({ kind: 'updated', count: 4 });

    // at T0+10m the first event leaves the window: 3 left, still at the threshold
    expect(engine.tick(T0 + 10 * MIN)).toEqual([]);
    const [resolved] = engine.tick(T0 + 11 * MIN);
    expect(resolved).toMatchObject({ kind: 'resolved', key: 'A', count: 2 });
    expect(engine.openKeys).toBe(1);
    engine.tick(T0 + 30 * MIN);
    expect(engine.openKeys).toBe(0);
  });

  it('counts per zone and ignores events outside the filter or without a zone', () => {
    const engine = engineWith([THRESHOLD]);
    const out = [
      ev('incident.a', T0, { location: IN_A }), ev('incident.a', T0, { location: IN_B }),
      ev('accident.a', T0, { location: IN_A }), ev('incident.a', T0), ev('incident.a', T0, { location: IN_B }),
    ].flatMap((e) => engine.ingest(e));
    expect(out).toEqual([]);
  });

  it('the window edge is exclusive: an event exactly one window older does not count', () => {
    const engine = engineWith([THRESHOLD]);
    engine.ingest(ev('incident.a', T0, { location: IN_A }));
    engine.ingest(ev('incident.a', T0 + 5 * MIN, { location: IN_A }));
    expect(engine.ingest(ev('incident.a', T0 + 10 * MIN, { location: IN_A }))).toEqual([]);
    expect(engine.ingest(ev('incident.a', T0 + 10 * MIN, { location: IN_A }))).toHaveLength(1);
  });

  it('gives the same alerts whatever the order within the window', () => {
    const events = [0, 1, 2, 3].map((i) => ev('incident.a', T0 + i * MIN, { location: IN_A }));
    const keyCounts = (order: number[]) => {
      const engine = engineWith([THRESHOLD]);
      return order.flatMap((i) => engine.ingest(events[i]!)).map((t) => `${t.kind}:${t.count}`);
    };
    expect(keyCounts([3, 1, 0, 2])).toEqual(keyCounts([0, 1, 2, 3]));
  });

  it('drops from a window an event older than the window behind the watermark', () => {
    const engine = engineWith([THRESHOLD]);
    engine.ingest(ev('incident.a', T0 + 60 * MIN, { location: IN_A }));
    engine.ingest(ev('incident.a', T0, { location: IN_A }));
    expect(engine.ingest(ev('incident.a', T0 + 1, { location: IN_A }))).toEqual([]);
  });
});

describe('match', () => {
  it('fires once per matching event, with its explanation', () => {
    const engine = engineWith([MATCH]);
    expect(engine.ingest(ev('accident.bike', T0, { severity: 2 }))).toEqual([]);
    const [t] = engine.ingest(ev('accident.bike', T0, { severity: 4, location: IN_B }));
    expect(t).toMatchObject({ kind: 'fired', ruleId: 'crash', title: 'Crash (accident.bike)', zones: ['B'], count: 1 });
    expect(t!.explanation.conditions[0]).toBe('type matches accident.* and severity in [4, 5]');
    expect(t!.explanation.conditionsFr![0]).toBe('type correspond à accident.* et gravité parmi [4, 5]');
    expect(engine.ingest(ev('accident.car', T0 + 1, { severity: 5 }))[0]!.kind).toBe('fired');
  });

  it('with suppress and groupBy, a repeat updates the open key until the span is over', () => {
    const engine = engineWith([`id: line\ntitle: "Line {key}"\nseverity: high\nkind: match\nwhere: { type: transport.incident }\ngroupBy: attributes.line\nsuppress: 30m\n`]);
    const line = (t: number, l = 'M1') => engine.ingest(ev('transport.incident', t, { attributes: { line: l } }));
    expect(line(T0)[0]).toMatchObject({ kind: 'fired', key: 'M1', title: 'Line M1' });
    expect(line(T0 + 10 * MIN)[0]).toMatchObject({ kind: 'updated', count: 2 });
    expect(line(T0 + 11 * MIN, 'T2')[0]).toMatchObject({ kind: 'fired', key: 'T2' });
    expect(line(T0 + 45 * MIN)[0]).toMatchObject({ kind: 'fired', count: 1 });
  });
});

describe('engine', () => {
  it('snapshot and restore resume windows without a second alert', () => {
    const a = engineWith([THRESHOLD]);
    a.ingest(ev('incident.a', T0, { location: IN_A }));
    a.ingest(ev('incident.a', T0 + MIN, { location: IN_A }));
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = engineWith([THRESHOLD]);
    b.restore(snap);
    expect(b.ingest(ev('incident.a', T0 + 2 * MIN, { location: IN_A }))[0]!.kind).toBe('fired');
    expect(b.ingest(ev('incident.a', T0 + 3 * MIN, { location: IN_A }))[0]!.kind).toBe('updated');
  });

  it('setRules keeps the state of unchanged rules and resets a new version that detects otherwise', () => {
    const engine = engineWith([THRESHOLD, MATCH]);
    engine.ingest(ev('incident.a', T0, { location: IN_A }));
    engine.ingest(ev('incident.a', T0 + 1, { location: IN_A }));
    engine.setRules([ruleFromYaml(THRESHOLD, 1), ruleFromYaml(MATCH)]);
    expect(engine.openKeys).toBe(1);
    engine.setRules([ruleFromYaml(THRESHOLD, 2)]); // the same detection: goes on
    expect(engine.openKeys).toBe(1);
    engine.setRules([ruleFromYaml(THRESHOLD.replace('window: 10m', 'window: 15m'), 3)]);
    expect(engine.openKeys).toBe(0);
    expect(engine.ruleIds).toEqual(['cluster']);
  });

  it('ignores an event whose time does not parse', () => {
    const engine = engineWith([MATCH]);
    expect(engine.ingest(ev('accident.a', 'not a time', { severity: 5 }))).toEqual([]);
  });
});

describe('events no rule concerns', () => {
  it('move the watermark (releasing what waits) and are reported when ahead of the clock, as any event', () => {
    const engine = engineWith([THRESHOLD], undefined, { lateness: 60_000 });
    engine.ingest(ev('incident.a', T0, { location: IN_A }));
    engine.ingest(ev('incident.a', T0 + 1000, { location: IN_A }));
    expect(engine.stats.buffered).toBe(2);
    expect(engine.ingest(ev('other.kind', T0 + 2 * MIN, { location: IN_A }))).toEqual([]);
    expect(engine.stats.buffered).toBe(0);
    expect(engine.watermark).toBe(T0 + MIN);
    engine.setClock(T0 + 2 * MIN);
    engine.ingest(ev('other.kind', T0 + 20 * MIN));
    expect(engine.takeNotices()).toMatchObject([{ kind: 'future', aheadByMs: 13 * MIN }]);
    expect(engine.watermark).toBe(T0 + MIN);
    expect(engine.stats).toMatchObject({ received: 4, future: 1, buffered: 0 });
    engine.ingest(ev('other.kind', 'not a time'));
    expect(engine.stats).toMatchObject({ received: 5, invalid: 1 });
  });
});

describe('rules swapped while events wait in the reorder buffer', () => {
  it('events buffered before a swap are evaluated by the rules in force at release', () => {
    const engine = engineWith([THRESHOLD], undefined, { lateness: 60_000 });
    engine.ingest(ev('incident.a', T0, { location: IN_A }));
    engine.ingest(ev('incident.a', T0 + 1000, { location: IN_A }));
    engine.setRules([ruleFromYaml(THRESHOLD.replace('count: { gte: 3 }', 'count: { gte: 2 }'), 2)]);
    const out = engine.tick(T0 + 2 * MIN);
    expect(out.map((t) => `${t.kind}:${t.ruleVersion}:${t.count}`)).toEqual(['fired:2:2']);
  });
});

describe('an event of a one-off upload (imported)', () => {
  const ABSENCE = 'id: quiet\ntitle: "Silence {key}"\nseverity: low\nkind: absence\ngroupBy: source\nfor: 20m\n';

  it('never starts a silence for its source, and is not reported late', () => {
    const engine = engineWith([ABSENCE]);
    engine.tick(T0);
    expect(engine.ingest(ev('incident.theft', T0 - 30 * 86_400_000, { source: 'cctv' }), { imported: true })).toEqual([]);
    expect(engine.ingest(ev('incident.theft', T0 - 5 * MIN, { source: 'cctv' }), { imported: true })).toEqual([]);
    expect(engine.tick(T0 + 3 * 60 * MIN)).toEqual([]);
    expect(engine.openKeys).toBe(0);
    expect(engine.takeNotices()).toEqual([]);
    // The same event from a live feed starts watching its source.
    engine.ingest(ev('incident.theft', T0 + 3 * 60 * MIN, { source: 'cctv' }));
    expect(engine.tick(T0 + 4 * 60 * MIN).map((t) => [t.kind, t.key])).toEqual([['fired', 'cctv']]);
  });

  it('is evaluated at once by the other rules, as a late event is (windows at the watermark), without moving the clock', () => {
    const engine = engineWith([THRESHOLD, MATCH]);
    engine.tick(T0);
    const watermark = engine.watermark;
    // Three incidents of the last minutes: within the 10-minute window behind the watermark, they make a cluster.
    const out = [0, 1, 2].flatMap((i) => engine.ingest(ev('incident.fight', T0 - 8 * MIN + i * MIN, { location: IN_A }), { imported: true }));
    expect(out.map((t) => [t.kind, t.count])).toEqual([['fired', 3]]);
    expect(engine.watermark).toBe(watermark); // as the tick left it
    // Older ones (an export of last evening) fall in no window: no cluster, whatever the order they come in.
    const old = [2, 0, 1].flatMap((i) => engine.ingest(ev('incident.fight', T0 - 40 * MIN + i * MIN, { location: IN_B }), { imported: true }));
    expect(old).toEqual([]);
    // A stateless rule judges the event itself, however old.
    expect(engine.ingest(ev('accident.bike', T0 - 40 * MIN, { severity: 5 }), { imported: true }).map((t) => t.kind)).toEqual(['fired']);
  });
});
