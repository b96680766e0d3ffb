import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '@vigie/rules';
import { coalesceUpdates } from './coalesce-updates.ts';

const T = Date.parse('2026-11-28T20:00:00Z');
let n = 0;
const t = (kind: AlertTransition['kind'], key: string, count: number, at = T + n * 1000, ruleId = 'r'): AlertTransition => ({
  kind, ruleId, ruleVersion: 1, key, at, severity: 'low', title: `${key} ${count}`, actions: [], zones: [], count,
  explanation: { summary: `${count}`, conditions: [], numbers: { count } },
  evidence: [{ source: 'csu', id: `e${++n}`, type: 'x.y', time: new Date(at).toISOString() }],
});
const shape = (ts: AlertTransition[]) => ts.map((x) => `${x.kind}:${x.key}:${x.count}`);

describe('coalesceUpdates', () => {
  it('makes a run of updates of one alert one, where its last was: the highest count, every event, the last words', () => {
    const ts = [t('fired', 'a', 3), t('updated', 'a', 5), t('updated', 'b', 1), t('updated', 'a', 4), t('updated', 'a', 6)];
    const { transitions, merged } = coalesceUpdates(ts);
    expect(merged).toBe(2);
    expect(shape(transitions)).toEqual(['fired:a:3', 'updated:b:1', 'updated:a:6']);
    const a = transitions[2]!;
    expect(a.evidence.map((r) => r.id)).toEqual([...ts[1]!.evidence, ...ts[3]!.evidence, ...ts[4]!.evidence].map((r) => r.id));
    expect([a.title, a.at]).toEqual([ts[4]!.title, ts[4]!.at]);
    expect(coalesceUpdates([t('updated', 'c', 7), t('updated', 'c', 5)]).transitions[0]!.count).toBe(7);
  });

  it('keeps apart what something else of the alert comes between, what another rule or version says, and firings', () => {
    const ts = [t('updated', 'a', 2), t('resolved', 'a', 0), t('updated', 'a', 3), t('fired', 'b', 1), t('updated', 'b', 2), t('updated', 'a', 4, undefined, 'other')];
    expect(coalesceUpdates(ts)).toEqual({ transitions: ts, merged: 0 });
    const v2 = { ...t('updated', 'd', 2), ruleVersion: 2 };
    expect(coalesceUpdates([t('updated', 'd', 1), v2]).merged).toBe(0);
  });

  it('keeps the latest evidence only, as an alert does', () => {
    const run = Array.from({ length: 60 }, (_, i) => t('updated', 'big', i + 1));
    const [one] = coalesceUpdates(run).transitions;
    expect(one!.evidence).toHaveLength(50);
    expect(one!.evidence.at(-1)!.id).toBe(run.at(-1)!.evidence[0]!.id);
  });
});
