import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import { alertSet, score, type Emitted } from './replay.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import type { Scenario } from './scenario.ts';

const tr = (kind: AlertTransition['kind'], ids: string[], ruleId = 'r'): Emitted => ({
  t: { kind, ruleId, ruleVersion: 1, key: 'A', at: 0, severity: 'low', title: 'T', actions: [], zones: [], count: ids.length, explanation: { summary: '', conditions: [], numbers: {} }, evidence: ids.map((id) => ({ source: 's', id, type: 'x.y', time: '2026-11-28T20:00:00.000Z' })) },
  emittedAt: 0,
});

describe('the alerts a replay is compared by', () => {
  it('a rule that waits: its firings with their events', () => {
    expect(alertSet([tr('fired', ['b', 'a']), tr('updated', ['a', 'b', 'c']), tr('resolved', [])])).toEqual(['r|A|a,b']);
  });

  it('a rule that fires early: each alert with every event it gathered by its resolution; a doubled firing shows', () => {
    const early = new Set(['r']);
    expect(alertSet([tr('fired', ['a']), tr('updated', ['a', 'b']), tr('resolved', []), tr('fired', ['c'])], early)).toEqual(['r|a,b', 'r|c']);
    const once = alertSet([tr('fired', ['y1', 'y2']), tr('resolved', [])], early);
    expect(alertSet([tr('fired', ['x']), tr('fired', ['y1', 'y2']), tr('resolved', [])], early)).not.toEqual(once);
  });
});

describe('the delay a plant is scored with', () => {
  const at = (kind: AlertTransition['kind'], ids: string[], emittedAt: number, key = 'A'): Emitted => ({ ...tr(kind, ids), t: { ...tr(kind, ids).t, key }, emittedAt });
  const scenario = { events: [], plants: [{ rule: 'r', completing: 's/c', at: 1000 }], calendar: [], zones: [], start: 0, end: 86_400_000, learnUntil: 0 } as Scenario;
  const rule = { id: 'r', kind: 'threshold' } as CompiledRule;
  const delay = (xs: Emitted[]) => score(scenario, [rule], xs, [])[0]!.delaysMs;

  it('runs from the firing of the alert that carries the completing event: one that fired before it came counts as at once', () => {
    expect(delay([at('fired', ['a', 'b'], 900), at('updated', ['a', 'b', 'c'], 121_000)])).toEqual([0]);
    expect(delay([at('fired', ['a', 'c'], 121_000)])).toEqual([120_000]);
  });

  it('not from another key\'s alert, nor one fired more than an hour before', () => {
    expect(delay([at('fired', ['x'], 900, 'B'), at('fired', ['a', 'c'], 61_000)])).toEqual([60_000]);
    expect(delay([at('fired', ['old'], 1000 - 61 * 60_000), at('updated', ['old', 'c'], 31_000)])).toEqual([30_000]);
  });
});
