import { describe, expect, it } from 'vitest';
import { prepareBatch } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';

const KEY = new Pseudonymiser('k'.repeat(32), 'k1');
const good = { id: 'r-1', source: 'csu', type: 'incident.theft', time: '2026-11-28T10:00:00Z' };

describe('the reason an item is refused, as data', () => {
  it('names the broken rule and its figures beside the English message', () => {
    const items = [
      { ...good, id: undefined },
      { ...good, severity: 9 },
      { ...good, severity: 0 },
      { ...good, time: 'hier soir' },
      { ...good, severity: 'high' },
      { ...good, text: 'x'.repeat(10_001) },
      { ...good, source: 'CSU!' },
      { ...good, text: 'a\u0000b' },
      { ...good, text: 'lone \ud83d end' },
      { ...good, attributes: { ['x\udc00']: 1 } },
      { ...good, text: 'a pair is fine: 🚨, so is \u2028' },
    ];
    const { rejected } = prepareBatch(items, { name: 'test', sources: null }, KEY, '2026-11-28T10:00:01Z');
    expect(rejected.map((r) => [r.index, r.error.field, r.error.reason])).toEqual([
      [0, 'id', { key: 'required' }],
      [1, 'severity', { key: 'too_big', limit: 5 }],
      [2, 'severity', { key: 'too_small', limit: 1 }],
      [3, 'time', { key: 'datetime' }],
      [4, 'severity', { key: 'type' }],
      [5, 'text', { key: 'too_long', limit: 10_000 }],
      [6, 'source', { key: 'format' }],
      [7, 'text', { key: 'nul' }],
      [8, 'text', { key: 'lone_surrogate' }],
      [9, 'attributes.x\udc00', { key: 'lone_surrogate' }],
    ]);
    expect(rejected.every((r) => r.error.code === 'VIGIE_VALIDATION' && r.error.message.startsWith(`${r.error.field}: `))).toBe(true);
  });

  it('tells a source the token may not write for', () => {
    const { rejected } = prepareBatch([good], { name: 'test', sources: ['rtm'] }, KEY, '2026-11-28T10:00:01Z');
    expect(rejected[0]!.error).toMatchObject({ code: 'VIGIE_TOKEN_FORBIDDEN', field: 'source', reason: { key: 'forbidden_source' } });
  });
});
