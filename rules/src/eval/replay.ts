import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import { BaselineCounter } from '../baseline/baseline.ts';
import { EventContext } from '../engine/context.ts';
import { Engine } from '../engine/engine.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { Rand } from './random.ts';
import type { Plant, Scenario } from './scenario.ts';

export type Emitted = { t: AlertTransition; emittedAt: number };
export type ReplayOptions = { lateness: number; shuffle?: { seed: number; maxDelay: number }; withoutPlants?: boolean };

const MIN = 60_000;
const TZ = 'Europe/Paris';

/**
 * Replays a scenario through the engine as a live server would: events arrive (in order, or
 * each delayed by up to `maxDelay`), the clock ticks every minute, baselines are learned from
 * the weeks before the evaluated days. Returns every transition with the clock when it came out.
 */
export function replay(s: Scenario, rules: CompiledRule[], o: ReplayOptions): Emitted[] {
  const zones = new ZoneIndex(s.zones);
  const env = { zones, timeZone: TZ };
  // Plants (`p-…`) only in the planted run; what a plant removes (`bg-only-…`) only in the background run.
  let events = s.events.filter((e) => !e.id.startsWith(o.withoutPlants ? 'p-' : 'bg-only-'));
  const engine = new Engine(env, rules, { lateness: o.lateness });
  engine.setCalendar(s.calendar);
  const counters = rules.filter((r) => r.kind === 'anomaly' || r.kind === 'absence').map((r) => ({ id: r.id, c: new BaselineCounter(r, s.learnUntil, Math.floor((s.learnUntil - s.start) / (7 * 86_400_000))) }));
  for (const e of events) {
    const t = Date.parse(e.time);
    if (t >= s.learnUntil) break;
    const ctx = new EventContext(e, env, t);
    for (const { c } of counters) c.add(ctx);
  }
  engine.setBaselines(Object.fromEntries(counters.map(({ id, c }) => [id, c.learn()])));

  let arrivals: { e: Event; at: number }[] = events.map((e) => ({ e, at: Date.parse(e.time) }));
  if (o.shuffle) {
    const r = new Rand(o.shuffle.seed);
    arrivals = arrivals.map((a) => ({ e: a.e, at: a.at + Math.floor(r.next() * o.shuffle!.maxDelay) })).sort((a, b) => a.at - b.at);
  }
  events = [];
  const out: Emitted[] = [];
  let nextTick = arrivals[0]?.at ?? 0;
  for (const { e, at } of arrivals) {
    while (nextTick <= at) {
      for (const t of engine.tick(nextTick)) out.push({ t, emittedAt: nextTick });
      nextTick += MIN;
    }
    for (const t of engine.ingest(e)) out.push({ t, emittedAt: at });
  }
  for (let clock = nextTick; clock <= s.end + 3 * o.lateness + 2 * MIN; clock += MIN) for (const t of engine.tick(clock)) out.push({ t, emittedAt: clock });
  return out.filter((x) => x.t.at >= s.learnUntil);
}

export type RuleScore = { rule: string; kind: string; plants: number; detected: number; recall: number; delaysMs: number[]; falsePerDay: number; falsePerZoneDay: number };

/** A plant is detected when an alert of its rule carries its completing event (or, for a silence, fires on its key around the right time). */
export function detects(p: Plant, x: Emitted): boolean {
  if (x.t.ruleId !== p.rule || x.t.kind === 'resolved') return false;
  if (p.key) return x.t.key === p.key && x.t.kind === 'fired' && x.emittedAt >= p.at - 10 * MIN && x.emittedAt <= p.at + 30 * MIN;
  return x.t.evidence.some((r) => `${r.source}/${r.id}` === p.completing);
}

export function score(s: Scenario, rules: CompiledRule[], withPlants: Emitted[], background: Emitted[]): RuleScore[] {
  const days = (s.end - s.learnUntil) / 86_400_000;
  const zoneDays = Math.max(1, s.zones.length) * days;
  return rules.map((rule) => {
    const plants = s.plants.filter((p) => p.rule === rule.id);
    const delaysMs: number[] = [];
    let detected = 0;
    for (const p of plants) {
      const i = withPlants.findIndex((x) => detects(p, x));
      if (i < 0) continue;
      detected++;
      // From the firing of the alert that carries it: one that fired before the completing event came (early, or at a
      // bound the plant passes) had the operator's eyes already; not one fired more than an hour before (another episode).
      const hit = withPlants[i]!;
      let from = hit;
      for (let j = i; j >= 0 && withPlants[j]!.emittedAt >= p.at - 60 * MIN; j--) {
        const x = withPlants[j]!;
        if (x.t.kind === 'fired' && x.t.ruleId === hit.t.ruleId && x.t.key === hit.t.key) { from = x; break; }
      }
      delaysMs.push(Math.max(0, from.emittedAt - p.at));
    }
    const falseAlerts = background.filter((x) => x.t.ruleId === rule.id && x.t.kind === 'fired').length;
    return { rule: rule.id, kind: rule.kind, plants: plants.length, detected, recall: plants.length ? detected / plants.length : NaN, delaysMs, falsePerDay: falseAlerts / days, falsePerZoneDay: falseAlerts / zoneDays };
  });
}

/**
 * The alerts of a run as comparable lines: rule, key, evidence; sorted. A rule that fires
 * early (`early`: their ids) fires on whichever arrival completes its window first, which
 * depends on the order events arrive in: its line holds every event the alert gathered by its
 * resolution (fired, then updated), which does not, and not its key. The others' lines hold
 * their key and their firing's events.
 */
export function alertSet(xs: Emitted[], early: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  const open = new Map<string, Set<string>>();
  const line = (ruleKey: string, ids: Iterable<string>) => `${ruleKey}|${[...ids].sort().join(',')}`;
  // A co-occurrence's key names the first event of its cluster as the rule first saw it: for one that fires early, that too depends on the arrival order.
  const earlyLine = (ruleKey: string, ids: Iterable<string>) => line(ruleKey.slice(0, ruleKey.indexOf('|')), ids);
  for (const { t } of xs) {
    const ruleKey = `${t.ruleId}|${t.key}`;
    if (!early.has(t.ruleId)) {
      if (t.kind === 'fired') lines.push(line(ruleKey, t.evidence.map((r) => r.id)));
      continue;
    }
    if (t.kind === 'fired') {
      // Fired again while open: the first one counts as an alert of its own (a doubled firing shows).
      const before = open.get(ruleKey);
      if (before) lines.push(earlyLine(ruleKey, before));
      open.set(ruleKey, new Set());
    }
    const gathered = open.get(ruleKey);
    if (!gathered) continue;
    if (t.kind === 'resolved') {
      lines.push(earlyLine(ruleKey, gathered));
      open.delete(ruleKey);
    } else for (const r of t.evidence) gathered.add(r.id);
  }
  for (const [ruleKey, gathered] of open) lines.push(earlyLine(ruleKey, gathered));
  return lines.sort();
}
