import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import { HOURS_PER_WEEK, learnBaseline } from '../baseline/baseline.ts';
import type { Event } from '../domain/event.ts';
import { engineWith, ev, IN_A, IN_B } from '../testing/fixtures.ts';
import type { Engine } from './engine.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000;

const RULES = [
  'id: t-a\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: "incident.*" }\nzones: [A]\ngroupBy: zone\nwindow: 10m\ncount: { gte: 2 }\n',
  'id: t-cell\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: "incident.*" }\ngroupBy: "cell:9"\nwindow: 5m\ncount: { gte: 2 }\n',
  'id: k\ntitle: T\nseverity: low\nkind: cooccurrence\nwhere: { type: ["incident.*", "accident.*"] }\ndistinct: source\nmin: 2\nwithin: 7m\nnear: 2km\n',
  'id: m\ntitle: T\nseverity: low\nkind: match\nwhere: { type: "accident.*" }\n',
  'id: m-sup\ntitle: T\nseverity: low\nkind: match\nwhere: { type: "accident.*" }\ngroupBy: zone\nsuppress: 4m\n',
  'id: an\ntitle: T\nseverity: low\nkind: anomaly\nwhere: { type: "incident.*" }\ngroupBy: zone\nwindow: 10m\npValue: 0.01\nminCount: 2\n',
  'id: ab\ntitle: T\nseverity: low\nkind: absence\ngroupBy: source\nfor: 9m\n',
  'id: seq\ntitle: T\nseverity: low\nkind: sequence\nsteps:\n  - { as: a, where: { type: incident.a } }\n  - { as: b, where: { type: accident.b } }\nwithin: 6m\n',
];

type Step = { event: Event } | { tick: number };

/** A stream with bursts and gaps (some longer than the windows), in two zones and outside, with clock ticks between. */
function stream(seed: number): Step[] {
  let s = seed;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const steps: Step[] = [];
  let t = T0;
  for (let i = 0; i < 400; i++) {
    t += rnd() < 0.1 ? Math.floor(rnd() * 20 * MIN) : Math.floor(rnd() * 40_000);
    const where = rnd();
    const location = where < 0.45 ? IN_A : where < 0.9 ? IN_B : undefined;
    const type = ['incident.a', 'incident.b', 'accident.b'][Math.floor(rnd() * 3)]!;
    steps.push({ event: { ...ev(type, t, location ? { location } : {}), source: ['csu', 'rtm', 'tip'][Math.floor(rnd() * 3)]! } });
    if (rnd() < 0.2) steps.push({ tick: t + Math.floor(rnd() * 3 * MIN) });
  }
  return steps;
}

function run(engine: Engine, steps: Step[]): AlertTransition[] {
  const flat = { ...learnBaseline(new Map(), 1), groups: { A: new Array(HOURS_PER_WEEK).fill(0.5) }, city: new Array(HOURS_PER_WEEK).fill(0.5) };
  engine.setBaselines({ an: flat });
  const out: AlertTransition[] = [];
  for (const step of steps) out.push(...('event' in step ? engine.ingest(step.event) : engine.tick(step.tick)));
  out.push(...engine.flush());
  return out;
}

describe('sweeps pass over idle rules', () => {
  it('give the very transitions of sweeping every rule every time', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const opts = { lateness: 60_000, sweepEvery: 30_000 };
      const skipping = engineWith(RULES, undefined, opts);
      const every = engineWith(RULES, undefined, opts);
      // Without `nextDue` the engine calls every runner's onTime at every sweep, as it always did.
      for (const entry of (every as unknown as { entries: { runner: { nextDue?: unknown } }[] }).entries) entry.runner.nextDue = undefined;
      const steps = stream(seed);
      const a = run(skipping, steps), b = run(every, steps);
      expect(a.length).toBeGreaterThan(20);
      expect(a).toEqual(b);
      expect(skipping.snapshot()).toEqual(every.snapshot());
      expect(skipping.openKeys).toBe(every.openKeys);
    }
  });
});
