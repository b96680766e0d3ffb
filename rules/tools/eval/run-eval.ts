import { readdirSync, readFileSync } from 'node:fs';
import { loadRuleFiles } from '../../src/library.ts';
import { evalCity } from './city.ts';
import { alertSet, replay, score, type RuleScore } from '../../src/eval/replay.ts';
import { generateScenario, type Scenario } from '../../src/eval/scenario.ts';
import { firesEarly } from '../../src/language/rule-schema.ts';

export type EvalOptions = { seed: number; learnWeeks: number; evalDays: number; plantsPerRule: number; lateness: number };
export type EvalResult = { scenario: Scenario; scores: RuleScore[]; total: { plants: number; detected: number; recall: number }; shuffle: { same: boolean; missing: string[]; extra: string[]; alerts: number; late: number } };

export function stockRules() {
  const dir = new URL('../../library/', import.meta.url);
  const lib = loadRuleFiles(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') })));
  if (lib.errors.length) throw new Error(`stock rules refused: ${JSON.stringify(lib.errors)}`);
  return lib.rules;
}

/** Generates the scenario, replays it with and without plants and shuffled, and scores it. */
export function evaluate(o: EvalOptions): EvalResult {
  const rules = stockRules();
  const { zones, populations } = evalCity();
  const scenario = generateScenario({ seed: o.seed, zones, populations, learnWeeks: o.learnWeeks, evalDays: o.evalDays, plantsPerRule: o.plantsPerRule });
  const inOrder = replay(scenario, rules, { lateness: o.lateness });
  const background = replay(scenario, rules, { lateness: o.lateness, withoutPlants: true });
  const shuffled = replay(scenario, rules, { lateness: o.lateness, shuffle: { seed: o.seed + 1, maxDelay: Math.floor(o.lateness * 0.9) } });
  const scores = score(scenario, rules, inOrder, background);
  const plants = scores.reduce((a, s) => a + s.plants, 0);
  const detected = scores.reduce((a, s) => a + s.detected, 0);
  const early = new Set(rules.filter((r) => firesEarly(r.definition)).map((r) => r.id));
  const a = alertSet(inOrder, early), b = alertSet(shuffled, early);
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a), cb = count(b);
  const missing = [...ca].filter(([k, v]) => (cb.get(k) ?? 0) < v).map(([k]) => k);
  const extra = [...cb].filter(([k, v]) => (ca.get(k) ?? 0) < v).map(([k]) => k);
  return { scenario, scores, total: { plants, detected, recall: detected / plants }, shuffle: { same: missing.length === 0 && extra.length === 0, missing, extra, alerts: a.length, late: 0 } };
}
