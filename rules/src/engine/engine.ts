import type { AlertTransition } from '../domain/alert.ts';
import type { Event } from '../domain/event.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { EventContext, type CityEnv } from './context.ts';
import { matchOnEvent, matchOnTick } from './match.ts';
import type { EngineSnapshot, MatchKeyState, RuleState, ThresholdKeyState } from './state.ts';
import { thresholdOnEvent, thresholdOnTick } from './threshold.ts';

type AnyState = RuleState<MatchKeyState | ThresholdKeyState>;

/**
 * The pure rules engine: events in, alert transitions out. Time only moves with the events'
 * own time (`ingest`) or when the caller says so (`tick`); nothing here reads a clock.
 */
export class Engine {
  private rules: CompiledRule[] = [];
  private states = new Map<string, AnyState>();
  private wm = -Infinity;

  constructor(private env: CityEnv, rules: CompiledRule[] = []) {
    this.setRules(rules);
  }

  /** The latest event time seen or ticked to (ms). */
  get watermark(): number {
    return this.wm;
  }

  get ruleIds(): string[] {
    return this.rules.map((r) => r.id);
  }

  /** Replaces the rule set; a rule whose id and version are unchanged keeps its state. */
  setRules(rules: CompiledRule[]): void {
    const next = new Map<string, AnyState>();
    for (const r of rules) {
      const prev = this.states.get(r.id);
      next.set(r.id, prev && prev.version === r.version ? prev : { version: r.version, keys: {} });
    }
    this.rules = rules.filter((r) => r.definition.enabled);
    this.states = next;
  }

  /** Swaps the city's zones (after an import); windows keep their keys. */
  setZones(zones: CityEnv['zones']): void {
    this.env = { ...this.env, zones };
  }

  ingest(event: Event): AlertTransition[] {
    const e = new EventContext(event, this.env);
    if (Number.isNaN(e.t)) return [];
    const watermark = this.wm;
    if (e.t > this.wm) this.wm = e.t;
    let out: AlertTransition[] | undefined;
    for (const rule of this.rules) {
      if (!rule.accepts(e)) continue;
      const state = this.states.get(rule.id)!;
      const produced = rule.kind === 'match'
        ? matchOnEvent(rule, state as RuleState<MatchKeyState>, e)
        : thresholdOnEvent(rule, state as RuleState<ThresholdKeyState>, e, watermark);
      if (produced.length) (out ??= []).push(...produced);
    }
    return out ?? [];
  }

  /** Advances time to `now` (ms) without an event: windows slide, conditions may clear. */
  tick(now: number): AlertTransition[] {
    if (now > this.wm) this.wm = now;
    const out: AlertTransition[] = [];
    for (const rule of this.rules) {
      const state = this.states.get(rule.id)!;
      out.push(...(rule.kind === 'match'
        ? matchOnTick(rule, state as RuleState<MatchKeyState>, this.wm)
        : thresholdOnTick(rule, state as RuleState<ThresholdKeyState>, this.wm)));
    }
    return out;
  }

  /** Open keys across all rules (what the engine holds in memory). */
  get openKeys(): number {
    let n = 0;
    for (const s of this.states.values()) n += Object.keys(s.keys).length;
    return n;
  }

  snapshot(): EngineSnapshot {
    const rules: EngineSnapshot['rules'] = {};
    for (const [id, s] of this.states) rules[id] = s;
    return JSON.parse(JSON.stringify({ format: 1, watermark: Number.isFinite(this.wm) ? this.wm : null, rules }));
  }

  /** Restores state saved by `snapshot`; rules whose version changed since start empty. */
  restore(snap: EngineSnapshot): void {
    this.wm = snap.watermark ?? -Infinity;
    const copy = JSON.parse(JSON.stringify(snap.rules)) as EngineSnapshot['rules'];
    for (const [id, s] of Object.entries(copy)) {
      const cur = this.states.get(id);
      if (cur && cur.version === s.version) this.states.set(id, s);
    }
  }
}
