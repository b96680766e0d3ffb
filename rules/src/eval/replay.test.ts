import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../domain/alert.ts';
import { alertSet, type Emitted } from './replay.ts';

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
