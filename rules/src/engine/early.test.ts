import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { parseRule } from '../language/parse.ts';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml, ZONE_A, ZONE_B } from '../testing/fixtures.ts';
import type { Engine } from './engine.ts';
import { HOURS_PER_WEEK, learnBaseline } from '../baseline/baseline.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000;
const LATENESS = { lateness: 2 * MIN };
const EARLY = `id: cluster\ntitle: T\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nearly: true\n`;
const LATE = EARLY.replace('early: true\n', '');
const run = (engine: Engine, events: Event[]) => events.flatMap((e) => engine.ingest(e));
const inA = (m: number) => ev('incident.x', T0 + m * MIN, { location: IN_A });

/** Each alert episode of a run (fired … resolved) as its key and every event it gathered: what the operator ends up with. */
function episodes(ts: AlertTransition[]): string[] {
  const open = new Map<string, Set<string>>(), out: string[] = [];
  const close = (key: string) => { out.push(`${key}:${[...open.get(key)!].sort().join('+')}`); open.delete(key); };
  for (const t of ts) {
    if (t.kind === 'fired') {
      if (open.has(t.key)) throw new Error(`fired twice for ${t.key} without a resolution`);
      open.set(t.key, new Set());
    }
    if (t.kind === 'resolved') { close(t.key); continue; }
    for (const r of t.evidence) open.get(t.key)!.add(r.id);
  }
  for (const key of [...open.keys()]) close(key);
  return out.sort();
}

describe('threshold rules that fire early (early: true)', () => {
  it('fire on the arrival of the event that reaches the bound, not once the lateness has passed; the events in order then update that alert', () => {
    const waiting = engineWith([LATE], [ZONE_A], LATENESS);
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    const events = [inA(0), inA(1), inA(2)];
    expect(run(waiting, events)).toEqual([]);
    const [fired, ...rest] = run(early, events);
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ kind: 'fired', key: 'A', count: 3, at: T0 + 2 * MIN });
    expect(fired!.evidence.map((r) => r.id)).toEqual(events.map((e) => e.id));
    expect(fired!.explanation).toMatchObject({ kind: 'threshold-early', summary: expect.stringContaining('on arrival') });
    // Once the lateness has passed, the waiting rule fires; the early one's firing is an update.
    expect(waiting.tick(T0 + 5 * MIN).map((t) => t.kind)).toEqual(['fired']);
    const after = early.tick(T0 + 5 * MIN);
    expect(after.map((t) => t.kind)).toEqual(['updated']);
    expect(after[0]!.evidence.map((r) => r.id)).toEqual(events.map((e) => e.id));
  });

  it('need the bound within one window, as the events in order do', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    expect(run(early, [inA(0), inA(5), inA(10)])).toEqual([]); // 0 is at 10 − 10 min: outside the window
    expect(run(early, [inA(11)])[0]).toMatchObject({ kind: 'fired', count: 3 });
  });

  it('counted with events already evaluated in order, and an event arriving out of order completes a window', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    run(early, [inA(0)]);
    early.tick(T0 + 3 * MIN); // the first is evaluated in order
    expect(run(early, [inA(4)])).toEqual([]);
    const [fired] = run(early, [inA(3)]); // arrives after 4, within the lateness
    expect(fired).toMatchObject({ kind: 'fired', count: 3 });
  });

  it('shuffled within the lateness: the same alerts, each with the same events in the end, none twice', () => {
    const events = Array.from({ length: 60 }, (_, i) => ev('incident.x', T0 + i * 20_000 + (i > 30 ? 20 * MIN : 0), { location: i % 3 ? IN_A : IN_B }));
    // Each arrives up to 100 s after its time: within the lateness.
    const shuffled = events.map((e, i) => ({ e, k: Date.parse(e.time) + ((i * 7919) % 5) * 25_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
    expect(shuffled.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
    const inOrder = engineWith([LATE], [ZONE_A, ZONE_B], LATENESS);
    const a = [...run(inOrder, events), ...inOrder.flush()];
    const early = engineWith([EARLY], [ZONE_A, ZONE_B], LATENESS);
    const b = [...run(early, shuffled), ...early.flush()];
    expect(episodes(a).length).toBeGreaterThan(1);
    expect(b.some((t) => t.explanation.summary.includes('on arrival'))).toBe(true); // some fired before the lateness passed
    expect(episodes(b)).toEqual(episodes(a));
    expect(b.filter((t) => t.kind === 'fired').length).toBe(a.filter((t) => t.kind === 'fired').length);
    expect(early.stats.late).toBe(0);
  });

  it('counts distinct values early too', () => {
    const early = engineWith([EARLY.replace('count: { gte: 3 }', 'distinct: { field: source, gte: 3 }')], [ZONE_A], LATENESS);
    const from = (source: string, m: number) => ({ ...inA(m), source });
    expect(run(early, [from('csu', 0), from('csu', 1), from('rtm', 2)])).toEqual([]);
    expect(run(early, [from('citoyens', 3)])[0]).toMatchObject({ kind: 'fired', count: 3 });
  });

  it('a firing made early is remembered across a snapshot: the events in order update it after a restart', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    expect(run(early, [inA(0), inA(1), inA(2)]).map((t) => t.kind)).toEqual(['fired']);
    const restarted = engineWith([EARLY], [ZONE_A], LATENESS);
    restarted.restore(early.snapshot());
    expect(restarted.flush().map((t) => t.kind)).toEqual(['updated']);
  });

  it('not for an event stamped beyond the clock skew (a wrong clock): it waits for its time like the rest', () => {
    const early = engineWith([EARLY], [ZONE_A], { ...LATENESS, maxFutureSkew: 5 * MIN });
    early.tick(T0);
    expect(run(early, [inA(60), inA(61), inA(62)])).toEqual([]);
    expect(early.takeNotices().map((n) => n.kind)).toEqual(['future', 'future', 'future']);
  });

  it('an early firing the events in order do not confirm (an upload slid the window meanwhile) is resolved once they are past it', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    run(early, [inA(0), inA(0.1)]);
    early.tick(T0 + 3 * MIN); // both evaluated in order
    early.setClock(T0 + 11 * MIN);
    expect(run(early, [inA(9.9)]).map((t) => t.kind)).toEqual(['fired']);
    early.ingest(inA(10.5), { imported: true }); // evaluated at once: its window no longer holds the first two
    const after = early.tick(T0 + 20 * MIN);
    expect(after.map((t) => t.kind)).toEqual(['resolved']);
    expect(after[0]!.explanation).toMatchObject({ kind: 'threshold-unconfirmed', summary: expect.stringContaining('not confirmed') });
    // The key's next episode is an alert of its own.
    early.tick(T0 + 300 * MIN);
    expect(run(early, [inA(300), inA(300.1), inA(300.2)]).map((t) => t.kind)).toEqual(['fired']);
  });

  it('a new version of the rule takes over the early firings: resolved if its own events in order do not reach the bound', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    expect(run(early, [inA(0), inA(1), inA(2)]).map((t) => t.kind)).toEqual(['fired']); // the first is already in order
    early.setRules([ruleFromYaml(EARLY.replace('window: 10m', 'window: 11m'), 2)]); // detects otherwise: starts empty
    expect(early.tick(T0 + 10 * MIN).map((t) => t.kind)).toEqual(['resolved']);
  });

  it('held by an episode of the events in order that began before it: nothing resolved while that holds', () => {
    const early = engineWith([EARLY], [ZONE_A], LATENESS);
    run(early, [inA(0), inA(0.1)]);
    early.tick(T0 + 3 * MIN);
    early.setClock(T0 + 11 * MIN);
    const out = run(early, [inA(10.2), inA(10.3), inA(10.4), inA(9.5)]); // 9.5 arrives last, within the lateness
    expect(out.map((t) => t.kind)).toEqual(['fired']);
    const rest = [...early.tick(T0 + 13 * MIN), ...early.flush()];
    // In order, {0, 0.1, 9.5} reaches the bound first: an update of the early alert (not a resolution of it as
    // unconfirmed), back under at 10.2, then {9.5, 10.2, 10.3} a firing of its own. (The early alert thus holds the
    // earlier episode's events, not the ones it fired on: a late arrival's own episode, merged.)
    expect(rest.map((t) => t.kind)).toEqual(['updated', 'resolved', 'fired', 'updated']);
  });

  it('is refused with a sum (a negative value could take it back under)', () => {
    const r = parseRule(EARLY.replace('count: { gte: 3 }', 'sum: { field: attributes.injured, gte: 3 }'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => [e.field, e.reason])).toEqual([['early', { key: 'early_sum' }]]);
  });
});

describe('co-occurrence rules that fire early (early: true)', () => {
  const THREE = `id: three\ntitle: T\nseverity: high\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\nearly: true\n`;
  const WAITING = THREE.replace('early: true\n', '');
  const from = (source: string, m: number, at = IN_A) => ({ ...ev('incident.x', T0 + m * MIN, { location: at }), source });

  it('fire on the arrival of the third source, under the key the events in order then take over', () => {
    const waiting = engineWith([WAITING], [ZONE_A], LATENESS);
    const early = engineWith([THREE], [ZONE_A], LATENESS);
    const events = [from('csu', 0), from('rtm', 1), from('citoyens', 2)];
    expect(run(waiting, events)).toEqual([]);
    const [fired, ...rest] = run(early, events);
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ kind: 'fired', count: 3, key: `csu/${events[0]!.id}`, explanation: { kind: 'cooccurrence-early' } });
    expect(waiting.tick(T0 + 5 * MIN).map((t) => `${t.kind}:${t.key}`)).toEqual([`fired:csu/${events[0]!.id}`]);
    expect(early.tick(T0 + 5 * MIN).map((t) => `${t.kind}:${t.key}`)).toEqual([`updated:csu/${events[0]!.id}`]);
  });

  it('without distinct, count events: fire on the arrival of the third, whatever its source, said in events', () => {
    const early = engineWith([THREE.replace('distinct: source\n', '')], [ZONE_A], LATENESS);
    const events = [from('csu', 0), from('csu', 1), from('csu', 2)];
    const [fired, ...rest] = run(early, events);
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ kind: 'fired', count: 3, key: `csu/${events[0]!.id}`, explanation: { kind: 'cooccurrence-events-early', numbers: { events: 3 } } });
    expect(early.tick(T0 + 5 * MIN).map((t) => `${t.kind}:${t.key}`)).toEqual([`updated:csu/${events[0]!.id}`]);
  });

  it('not for sources too far apart, nor one already in an open cluster', () => {
    const early = engineWith([THREE], [ZONE_A], LATENESS);
    expect(run(early, [from('csu', 0), from('rtm', 1), from('citoyens', 2, { lat: IN_A.lat + 0.01, lon: IN_A.lon })])).toEqual([]); // 1.1 km
    expect(run(early, [from('citoyens', 3)]).map((t) => t.kind)).toEqual(['fired']);
    expect(run(early, [from('ap-hm', 4)])).toEqual([]); // the open cluster takes it, in order
  });

  it('shuffled within the lateness: the same clusters, with the same events in the end, none twice', () => {
    const sources = ['csu', 'rtm', 'citoyens', 'ap-hm'];
    const events = Array.from({ length: 48 }, (_, i) => from(sources[(i * 3) % 4]!, i * 0.4 + (i >= 24 ? 30 : 0), i % 2 ? IN_A : { lat: IN_A.lat + 0.001, lon: IN_A.lon }));
    // Each arrives up to 100 s after its time: within the lateness.
    const shuffled = events.map((e, i) => ({ e, k: Date.parse(e.time) + ((i * 7919) % 5) * 25_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
    expect(shuffled.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
    const inOrder = engineWith([WAITING], [ZONE_A], LATENESS);
    const a = [...run(inOrder, events), ...inOrder.tick(T0 + 200 * MIN)];
    const early = engineWith([THREE], [ZONE_A], LATENESS);
    const b = [...run(early, shuffled), ...early.tick(T0 + 200 * MIN)];
    const clusters = (ts: AlertTransition[]) => episodes(ts).map((line) => line.slice(line.indexOf(':') + 1)); // the key names its first event as first seen
    expect(clusters(a).length).toBe(2);
    expect(b.some((t) => t.explanation.kind === 'cooccurrence-early')).toBe(true);
    expect(clusters(b)).toEqual(clusters(a));
    expect(early.stats.late).toBe(0);
  });

  it('a thousand reports at one hub, shuffled within the lateness, cost a look around each: one source fires nothing, three fire once', () => {
    // Before, each arrival out of order looked again at every later one near it, each time
    // gathering all those around: a stop skipped a thousand times stalled the node for minutes.
    const hub = (i: number, sources: string[]) => ({ ...from(sources[i % sources.length]!, 0, { lat: IN_A.lat + (i % 10) * 1e-5, lon: IN_A.lon }), id: `h${i}`, time: new Date(T0 + ((i * 7919) % 1000) * 50).toISOString() });
    for (const [sources, expected] of [[['rtm'], []], [['rtm', 'csu', 'citoyens'], ['fired']]] as const) {
      const early = engineWith([THREE], [ZONE_A], LATENESS);
      const start = performance.now();
      const out = run(early, Array.from({ length: 1000 }, (_, i) => hub(i, [...sources])));
      expect(performance.now() - start).toBeLessThan(5000); // about 50 ms here; minutes before
      expect([...new Set(out.map((t) => t.kind))].filter((k) => k === 'fired')).toEqual(expected);
      expect(out.filter((t) => t.kind === 'fired')).toHaveLength(expected.length);
    }
  });

  it('a cluster fired early is remembered across a snapshot: the events in order take it over after a restart', () => {
    const early = engineWith([THREE], [ZONE_A], LATENESS);
    const [fired] = run(early, [from('csu', 0), from('rtm', 1), from('citoyens', 2)]);
    const restarted = engineWith([THREE], [ZONE_A], LATENESS);
    restarted.restore(early.snapshot());
    expect(restarted.flush().map((t) => `${t.kind}:${t.key}`)).toEqual([`updated:${fired!.key}`]);
  });

  it('a new version of the rule that does not see the cluster in order resolves the early alert', () => {
    const early = engineWith([THREE], [ZONE_A], LATENESS);
    expect(run(early, [from('csu', 0), from('rtm', 1), from('citoyens', 2)]).map((t) => t.kind)).toEqual(['fired']);
    early.setRules([ruleFromYaml(THREE.replace('near: 300m', 'near: 301m'), 2)]); // detects otherwise: starts empty
    const out = early.tick(T0 + 10 * MIN);
    expect(out.map((t) => [t.kind, t.explanation.kind])).toEqual([['resolved', 'cooccurrence-unconfirmed']]);
  });
});

describe('co-occurrence fired early, over random arrivals within the lateness', () => {
  const THREE = `id: three\ntitle: T\nseverity: high\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\nearly: true\n`;
  const M = 111_195;
  const place = (dx: number, dy: number) => ({ lat: IN_A.lat + dy / M, lon: IN_A.lon + dx / (M * Math.cos((IN_A.lat * Math.PI) / 180)) });
  /** Clusters as evidence sets by resolution (keys dropped), those resolved unconfirmed marked. */
  function clusters(ts: AlertTransition[]): string[] {
    const open = new Map<string, Set<string>>(), out: string[] = [];
    for (const t of ts) {
      if (t.kind === 'fired') {
        if (open.has(t.key)) throw new Error(`fired twice for ${t.key}`);
        open.set(t.key, new Set());
      }
      const g = open.get(t.key)!;
      if (t.kind === 'resolved') {
        out.push([...g].sort().join('+') + (t.explanation.kind === 'cooccurrence-unconfirmed' ? ' (unconfirmed)' : ''));
        open.delete(t.key);
      } else for (const r of t.evidence) g.add(r.id);
    }
    if (open.size) throw new Error('left open');
    return out.sort();
  }

  it('every cluster of the events in order alerts, none twice, none left open; an extra early one is rare and said unconfirmed', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let scenarios = 0, same = 0, unconfirmedOnly = 0;
    for (let k = 0; k < 600; k++) {
      const n = 4 + Math.floor(rnd() * 6);
      const events = Array.from({ length: n }, () => ({ ...ev('incident.x', T0 + Math.round(rnd() * 24 * MIN), { location: place(Math.round(rnd() * 80 - 40) * 10, Math.round(rnd() * 60 - 30) * 10) }), source: ['a', 'b', 'c', 'd'][Math.floor(rnd() * 4)]! }));
      const arrival = events.map((e) => ({ e, k: Date.parse(e.time) + rnd() * 110_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
      const waiting = engineWith([THREE.replace('early: true\n', '')], [ZONE_A], LATENESS);
      const a = clusters([...run(waiting, arrival), ...waiting.tick(T0 + 500 * MIN)]);
      const early = engineWith([THREE], [ZONE_A], LATENESS);
      const b = clusters([...run(early, arrival), ...early.tick(T0 + 500 * MIN)]);
      expect(early.stats.late).toBe(0);
      scenarios++;
      const confirmed = b.filter((x) => !x.endsWith('(unconfirmed)'));
      if (JSON.stringify(b) === JSON.stringify(a)) same++;
      else if (JSON.stringify(confirmed) === JSON.stringify(a)) unconfirmedOnly++;
    }
    // Measured: about 1 scenario in 1000 of these (small, dense, two-dimensional) gives an extra alert, resolved unconfirmed,
    // or an event counted in a neighbouring cluster too; none misses one.
    expect(same / scenarios).toBeGreaterThan(0.99);
    expect(same + unconfirmedOnly).toBeGreaterThanOrEqual(scenarios - 2);
  });
});

describe('match rules with suppress that fire early (early: true)', () => {
  const MAJOR = `id: major\ntitle: T\nseverity: high\nkind: match\nwhere: { type: "transport.*" }\ngroupBy: attributes.line\nsuppress: 30m\nearly: true\n`;
  const WAITING = MAJOR.replace('early: true\n', '');
  const on = (line: string, m: number) => ev('transport.incident', T0 + m * MIN, { location: IN_A, attributes: { line } });
  /**
   * Each episode of a run as its key and every event it gathered: the largest evidence lists (an
   * update carries its episode's events so far; an early firing, the event it fired on). An
   * episode's updates in order may come after the next episode's early firing: told apart by their events.
   */
  function gathered(ts: AlertTransition[]): string[] {
    const lists = ts.map((t) => ({ key: t.key, ids: new Set(t.evidence.map((r) => r.id)) }));
    const within = (a: Set<string>, b: Set<string>) => a.size < b.size && [...a].every((id) => b.has(id));
    const largest = lists.filter((x) => !lists.some((y) => y.key === x.key && within(x.ids, y.ids)));
    return [...new Set(largest.map((x) => `${x.key}:${[...x.ids].sort().join('+')}`))].sort();
  }

  it('fire on the arrival of the event that opens an episode; the events in order then update that alert', () => {
    const waiting = engineWith([WAITING], [ZONE_A], LATENESS);
    const early = engineWith([MAJOR], [ZONE_A], LATENESS);
    expect(run(waiting, [on('83', 0), on('83', 1)])).toEqual([]);
    const [fired, ...rest] = run(early, [on('83', 0)]);
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ kind: 'fired', key: '83', count: 1, at: T0, explanation: { kind: 'match' } });
    // A repeat within the suppress span waits for its turn in order, as an update.
    expect(run(early, [on('83', 1)])).toEqual([]);
    expect(waiting.tick(T0 + 5 * MIN).map((t) => t.kind)).toEqual(['fired', 'updated']);
    expect(early.tick(T0 + 5 * MIN).map((t) => [t.kind, t.count])).toEqual([['updated', 1], ['updated', 2]]);
    // Another line, or the same one once the span has passed since its latest event: an episode of its own, at once.
    expect(run(early, [on('B2', 6)]).map((t) => [t.kind, t.key])).toEqual([['fired', 'B2']]);
    early.setClock(T0 + 32 * MIN);
    expect(run(early, [on('83', 32)]).map((t) => [t.kind, t.key])).toEqual([['fired', '83'], ['updated', 'B2']]); // and B2's, in order now
  });

  it('an event arriving out of order inside an episode fired early updates it, whichever came first', () => {
    const early = engineWith([MAJOR], [ZONE_A], LATENESS);
    const [second, first] = [on('83', 1), on('83', 0)];
    const fired = run(early, [second, first]); // the first arrives after the second, within the lateness
    expect(fired.map((t) => [t.kind, t.evidence.map((r) => r.id)])).toEqual([['fired', [second.id]]]);
    const inOrder = early.tick(T0 + 5 * MIN);
    expect(inOrder.map((t) => [t.kind, t.count])).toEqual([['updated', 1], ['updated', 2]]);
    expect(inOrder[1]!.evidence.map((r) => r.id)).toEqual([first.id, second.id]);
  });

  it('shuffled within the lateness: the same episodes with the same events as in order, none fired twice', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 200; k++) {
      // Events on two lines, now and then a gap longer than the suppress span.
      let t = 0;
      const events = Array.from({ length: 5 + Math.floor(rnd() * 10) }, () => on(rnd() < 0.5 ? '83' : 'B2', (t += rnd() < 0.2 ? 25 + rnd() * 20 : rnd() * 6)));
      const arrival = events.map((e) => ({ e, k: Date.parse(e.time) + rnd() * 110_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
      const waiting = engineWith([WAITING], [ZONE_A], LATENESS);
      const a = [...run(waiting, events), ...waiting.flush()];
      const early = engineWith([MAJOR], [ZONE_A], LATENESS);
      // Every episode fires on the arrival of one of its events, none once they are in order.
      const b = arrival.flatMap((e) => {
        const out = early.ingest(e);
        for (const t of out) if (t.kind === 'fired') expect(t.evidence.map((r) => r.id)).toEqual([e.id]);
        return out;
      });
      b.push(...early.flush());
      // As many firings as episodes in order: a late arrival can join two episodes only across a gap shorter than the lateness.
      expect(b.filter((t) => t.kind === 'fired').length).toBe(a.filter((t) => t.kind === 'fired').length);
      expect(early.stats.late).toBe(0);
      expect(gathered(b)).toEqual(gathered(a));
    }
  });

  it('an episode fired early is remembered across a snapshot and by a new version of the rule: the events in order update it', () => {
    const early = engineWith([MAJOR], [ZONE_A], LATENESS);
    expect(run(early, [on('83', 0)]).map((t) => t.kind)).toEqual(['fired']);
    const restarted = engineWith([MAJOR], [ZONE_A], LATENESS);
    restarted.restore(JSON.parse(JSON.stringify(early.snapshot())));
    expect(restarted.flush().map((t) => t.kind)).toEqual(['updated']);
    early.setRules([ruleFromYaml(MAJOR.replace('suppress: 30m', 'suppress: 31m'), 2)]); // detects otherwise: starts empty
    expect(early.flush().map((t) => t.kind)).toEqual(['updated']);
  });

  it('is refused without suppress (every match fires on arrival then)', () => {
    const r = parseRule(MAJOR.replace('suppress: 30m\n', ''));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => [e.field, e.reason])).toEqual([['early', { key: 'early_without_suppress' }]]);
  });

  it('without suppress, a grouped match answers on arrival, every event an alert (no state to wait for)', () => {
    const grouped = engineWith([WAITING.replace('suppress: 30m\n', '')], [ZONE_A], LATENESS);
    expect(run(grouped, [on('83', 0), on('83', 1)]).map((t) => [t.kind, t.key, t.count])).toEqual([['fired', '83', 1], ['fired', '83', 1]]);
    expect(grouped.flush()).toEqual([]);
  });
});

describe('sequence rules that fire early (early: true)', () => {
  const DARK = [
    'id: dark', 'title: "Accident near a light out since {fault.time|ago}"', 'severity: high', 'kind: sequence',
    'steps:', '  - { as: fault, where: { type: lighting.fault } }', '  - { as: accident, where: { type: "accident.*" } }',
    'within: 24h', 'near: 50m', 'unless: { where: { type: lighting.repaired }, same: attributes.lampId }', 'early: true', '',
  ].join('\n');
  const WAITING = DARK.replace('early: true\n', '');
  const fault = (m: number, lamp = 'L1') => ev('lighting.fault', T0 + m * MIN, { location: IN_A, attributes: { lampId: lamp } });
  const crash = (m: number) => ev('accident.car', T0 + m * MIN, { location: IN_A });
  const repaired = (m: number, lamp = 'L1') => ev('lighting.repaired', T0 + m * MIN, { location: IN_A, attributes: { lampId: lamp } });

  it('fire on the arrival of the event that completes the sequence; the events in order then update that alert', () => {
    const waiting = engineWith([WAITING], [ZONE_A], LATENESS);
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    for (const engine of [waiting, early]) {
      run(engine, [fault(0)]);
      engine.tick(T0 + 180 * MIN); // the fault is evaluated in order, hours before
    }
    expect(run(waiting, [crash(180)])).toEqual([]);
    const [fired, ...rest] = run(early, [crash(180)]);
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ kind: 'fired', title: 'Accident near a light out since 3h', count: 1, explanation: { kind: 'sequence-early', numbers: { duration: '3h' } } });
    expect(fired!.evidence.map((r) => r.type)).toEqual(['lighting.fault', 'accident.car']);
    expect(waiting.tick(T0 + 183 * MIN).map((t) => t.kind)).toEqual(['fired']);
    const after = early.tick(T0 + 183 * MIN);
    expect(after.map((t) => [t.kind, t.key, t.explanation.kind])).toEqual([['updated', fired!.key, 'sequence']]);
  });

  it('with steps that arrived and wait for their turn, in any order within the lateness', () => {
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    expect(run(early, [crash(0.5), fault(0)])).toEqual([]); // the fault arrives last: nothing arrives to complete it
    const later = engineWith([DARK], [ZONE_A], LATENESS);
    const [fired] = run(later, [fault(0), crash(1)]);
    expect(fired).toMatchObject({ kind: 'fired', explanation: { kind: 'sequence-early' } });
  });

  it('not when an unless already arrived cancels it; an unless arriving late resolves the early alert, not confirmed', () => {
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    expect(run(early, [fault(0), repaired(0.5), crash(1)])).toEqual([]);
    const other = engineWith([DARK], [ZONE_A], LATENESS);
    expect(run(other, [fault(0), repaired(0.5, 'L2'), crash(1)]).map((t) => t.kind)).toEqual(['fired']); // another lamp
    const late = engineWith([DARK], [ZONE_A], LATENESS);
    const [fired] = run(late, [fault(0), crash(1)]);
    expect(run(late, [repaired(0.5)])).toEqual([]); // stamped before the accident, arrived after it
    const out = late.tick(T0 + 10 * MIN);
    expect(out.map((t) => [t.kind, t.key, t.explanation.kind])).toEqual([['resolved', fired!.key, 'sequence-unconfirmed']]);
    expect(out[0]!.evidence).toEqual(fired!.evidence);
  });

  it('a second completion of the same beginning is an update, early or in order', () => {
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    const out = [...run(early, [fault(0), crash(1), crash(2)]), ...early.tick(T0 + 10 * MIN)];
    expect(out.map((t) => `${t.kind}:${t.count}`)).toEqual(['fired:1', 'updated:1', 'updated:2']);
    expect(new Set(out.map((t) => t.key)).size).toBe(1);
  });

  it('a firing made early is remembered across a snapshot: the events in order update it after a restart', () => {
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    expect(run(early, [fault(0), crash(1)]).map((t) => t.kind)).toEqual(['fired']);
    const restarted = engineWith([DARK], [ZONE_A], LATENESS);
    restarted.restore(JSON.parse(JSON.stringify(early.snapshot())));
    expect(restarted.flush().map((t) => t.kind)).toEqual(['updated']);
  });

  it('a new version of the rule leaves a firing made early standing, even without the steps evaluated before it', () => {
    const early = engineWith([DARK], [ZONE_A], LATENESS);
    run(early, [fault(0)]);
    early.tick(T0 + 180 * MIN); // the fault is evaluated in order, hours before
    const [fired] = run(early, [crash(180)]);
    expect(fired).toMatchObject({ kind: 'fired', explanation: { kind: 'sequence-early' } });
    early.setRules([ruleFromYaml(DARK.replace('near: 50m', 'near: 51m'), 2)]); // detects otherwise: starts without the fault
    expect(early.tick(T0 + 190 * MIN)).toEqual([]); // not resolved as if a late event had cancelled it
    // With its steps still waiting in order, the new version completes it again: a firing with no new event (the alert store keeps one).
    const again = engineWith([DARK], [ZONE_A], LATENESS);
    const [first] = run(again, [fault(0), crash(1)]);
    again.setRules([ruleFromYaml(DARK.replace('near: 50m', 'near: 51m'), 2)]);
    const out = again.flush();
    expect(out.map((t) => [t.kind, t.key])).toEqual([['fired', first!.key]]);
    expect(out[0]!.evidence).toEqual(first!.evidence);
  });

  it('events of the same time are taken in the engine\'s order (source, then id), whatever order they arrive in', () => {
    const BURGLARY = 'id: repeat\ntitle: T\nseverity: medium\nkind: sequence\nsteps:\n  - { as: first, where: { type: incident.burglary } }\n  - { as: next, where: { type: incident.burglary } }\nwithin: 7d\nnear: 200m\nearly: true\n';
    const at = T0 + 5 * MIN;
    const b = (id: string) => ({ ...ev('incident.burglary', at, { location: IN_A }), id });
    const inOrder = engineWith([BURGLARY.replace('early: true\n', '')], [ZONE_A], LATENESS);
    const expected = [...run(inOrder, [b('aa-b2'), b('zz-b1')]), ...inOrder.flush()].map((t) => [t.kind, t.key]);
    expect(expected).toEqual([['fired', 'test/aa-b2']]);
    for (const order of [['zz-b1', 'aa-b2'], ['aa-b2', 'zz-b1']]) {
      const early = engineWith([BURGLARY], [ZONE_A], LATENESS);
      const out = [...run(early, order.map(b)), ...early.flush()];
      expect(out.filter((t) => t.kind !== 'updated').map((t) => [t.kind, t.key])).toEqual(expected);
    }
  });

  it('shuffled within the lateness: the alerts of the events in order, with the same events; the only extra ones are resolved as not confirmed', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const M = 111_195;
    const place = () => ({ lat: IN_A.lat + Math.round(rnd() * 100 - 50) / M, lon: IN_A.lon });
    let unconfirmed = 0, withoutUnless = 0;
    for (let k = 0; k < 300; k++) {
      const lamps = ['L1', 'L2'];
      const events = Array.from({ length: 4 + Math.floor(rnd() * 8) }, () => {
        const m = rnd() * 30, x = rnd();
        const lamp = lamps[Math.floor(rnd() * 2)]!;
        const e = x < 0.4 ? fault(m, lamp) : x < 0.85 ? crash(m) : repaired(m, lamp);
        return { ...e, location: place() };
      }).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      const arrival = events.map((e) => ({ e, k: Date.parse(e.time) + rnd() * 110_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
      const waiting = engineWith([WAITING], [ZONE_A], LATENESS);
      const a = [...run(waiting, events), ...waiting.flush()];
      const early = engineWith([DARK], [ZONE_A], LATENESS);
      const b = [...run(early, arrival), ...early.tick(T0 + 60 * MIN), ...early.flush()];
      expect(early.stats.late).toBe(0);
      const alerts = (ts: AlertTransition[], notConfirmed = false) => {
        const last = new Map<string, AlertTransition>();
        for (const t of ts) last.set(t.key, t);
        return [...last.values()].filter((t) => (t.explanation.kind === 'sequence-unconfirmed') === notConfirmed).map((t) => `${t.key}:${t.evidence.map((r) => r.id).join('+')}`).sort();
      };
      expect(alerts(b)).toEqual(alerts(a));
      unconfirmed += alerts(b, true).length;
      if (!events.some((e) => e.type === 'lighting.repaired')) {
        withoutUnless++;
        expect(alerts(b, true)).toEqual([]);
      }
    }
    expect(withoutUnless).toBeGreaterThan(20);
    expect(unconfirmed).toBeGreaterThan(0); // some repairs did arrive after the accident they cancel
  });
});

describe('anomaly rules that fire early (early: true)', () => {
  const SURGE = `id: surge\ntitle: "Surge in {zone}"\nseverity: high\nkind: anomaly\ngroupBy: zone\nwindow: 1h\npValue: 0.001\nminCount: 5\nearly: true\n`;
  const WAITING = SURGE.replace('early: true\n', '');
  const flat = (perHour: number) => ({ ...learnBaseline(new Map(), 1), groups: { A: new Array(HOURS_PER_WEEK).fill(perHour) }, city: new Array(HOURS_PER_WEEK).fill(perHour) });
  const withBaseline = (yaml: string) => {
    const engine = engineWith([yaml], [ZONE_A], LATENESS);
    engine.setBaselines({ surge: flat(1) });
    return engine;
  };

  it('fire on the arrival of the event that makes the count improbable, with the numbers; the events in order then update that alert', () => {
    const waiting = withBaseline(WAITING), early = withBaseline(SURGE);
    const events = Array.from({ length: 6 }, (_, i) => inA(i * 0.2));
    expect(run(waiting, events)).toEqual([]);
    const out = run(early, events);
    expect(out.map((t) => [t.kind, t.count, t.explanation.kind])).toEqual([['fired', 6, 'anomaly-early']]); // P(X ≥ 6 | 1) < 0.001
    expect(Number(out[0]!.explanation.numbers.pValue)).toBeLessThan(0.001);
    expect(waiting.tick(T0 + 5 * MIN).map((t) => t.kind)).toEqual(['fired']);
    expect(early.tick(T0 + 5 * MIN).map((t) => t.kind)).toEqual(['updated']);
  });

  it('no baseline, no early alert either', () => {
    const early = engineWith([SURGE], [ZONE_A], LATENESS);
    expect(run(early, Array.from({ length: 20 }, (_, i) => inA(i * 0.1)))).toEqual([]);
  });

  it('remembered across a snapshot; resolved as not confirmed when a new version of the rule does not see it in order', () => {
    const early = withBaseline(SURGE);
    expect(run(early, Array.from({ length: 6 }, (_, i) => inA(i * 0.2))).map((t) => t.kind)).toEqual(['fired']);
    const restarted = withBaseline(SURGE);
    restarted.restore(JSON.parse(JSON.stringify(early.snapshot())));
    expect(restarted.flush().map((t) => t.kind)).toEqual(['updated']);
    early.setRules([ruleFromYaml(SURGE.replace('minCount: 5', 'minCount: 50'), 2)]);
    expect(early.tick(T0 + 10 * MIN).map((t) => [t.kind, t.explanation.kind])).toEqual([['resolved', 'anomaly-unconfirmed']]);
  });

  it('shuffled within the lateness: the same alerts, with the same events by their resolution, none twice', () => {
    // Two bursts of 8 within two minutes, two and a half hours apart, amid a trickle of three an hour (as usual as can be).
    const trickle = Array.from({ length: 18 }, (_, i) => i * 20 + 7);
    const bursts = [95, 250].flatMap((m) => Array.from({ length: 8 }, (_, i) => m + i * 0.25));
    const events = [...trickle, ...bursts].sort((x, y) => x - y).map(inA);
    const shuffled = events.map((e, i) => ({ e, k: Date.parse(e.time) + ((i * 7919) % 5) * 25_000 })).sort((x, y) => x.k - y.k).map((x) => x.e);
    expect(shuffled.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
    const inOrder = withBaseline(WAITING);
    const a = [...run(inOrder, events), ...inOrder.tick(T0 + 400 * MIN)];
    const early = withBaseline(SURGE);
    const b = [...run(early, shuffled), ...early.tick(T0 + 400 * MIN)];
    expect(episodes(a)).toHaveLength(2);
    expect(b.filter((t) => t.explanation.kind === 'anomaly-early')).toHaveLength(2);
    expect(episodes(b)).toEqual(episodes(a));
    expect(early.stats.late).toBe(0);
  });
});
