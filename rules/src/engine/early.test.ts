import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { parseRule } from '../language/parse.ts';
import { engineWith, ev, IN_A, IN_B, ruleFromYaml, ZONE_A, ZONE_B } from '../testing/fixtures.ts';
import type { Engine } from './engine.ts';

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
    early.setRules([ruleFromYaml(EARLY.replace('title: T', 'title: T2'), 2)]);
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
    early.setRules([ruleFromYaml(THREE.replace('title: T', 'title: T2'), 2)]);
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
