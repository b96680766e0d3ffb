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
  it("keeps a run's first update, and makes the others one where the last was: the highest count, each one's events in turn, the last words", () => {
    const ts = [t('fired', 'a', 3), t('updated', 'a', 5), t('updated', 'b', 1), t('updated', 'a', 8), t('updated', 'a', 4), t('updated', 'a', 6)];
    const { transitions, merged } = coalesceUpdates(ts);
    expect(merged).toBe(2);
    expect(shape(transitions)).toEqual(['fired:a:3', 'updated:a:5', 'updated:b:1', 'updated:a:8']);
    const a = transitions[3]!;
    expect(a.parts).toEqual([ts[3], ts[4], ts[5]]);
    expect(a.evidence.map((r) => r.id)).toEqual([ts[3]!, ts[4]!, ts[5]!].map((x) => x.evidence[0]!.id));
    expect([a.title, a.at]).toEqual([ts[5]!.title, ts[5]!.at]);
    expect(transitions[1]).toBe(ts[1]); // the first of the run, as it was
  });

  it('gives the gathered update the last place one of them gave', () => {
    const located = (lat: number) => ({ ...t('updated', 'p', 1), location: { lat, lon: 5 } });
    const ts = [located(1), located(2), located(3), t('updated', 'p', 2)];
    expect(coalesceUpdates(ts).transitions.map((x) => x.location?.lat)).toEqual([1, 3]);
  });

  it('keeps apart what something else of the alert comes between, what another rule or version says, and firings', () => {
    const ts = [t('updated', 'a', 2), t('resolved', 'a', 0), t('updated', 'a', 3), t('fired', 'b', 1), t('updated', 'b', 2), t('updated', 'a', 4, undefined, 'other')];
    expect(coalesceUpdates(ts)).toEqual({ transitions: ts, merged: 0 });
    const v2 = { ...t('updated', 'd', 2), ruleVersion: 2 };
    expect(coalesceUpdates([t('updated', 'd', 1), v2]).merged).toBe(0);
  });
});
