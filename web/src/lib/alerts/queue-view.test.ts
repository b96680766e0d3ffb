import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { EMPTY_FILTER, filterChoices, groupQueue, matchesFilter } from './queue-view.ts';

const names = new Map([['z1', 'Vieux-Port'], ['z2', 'Belsunce']]);
const ev = (source: string) => ({ source, id: 'x', type: 't', time: '2026-11-28T20:00:00Z' });

describe('queue filters and groups', () => {
  const a = makeAlert({ id: 'a', severity: 'critical', zones: ['z1'], ruleId: 'r1', evidence: [ev('csu')] });
  const b = makeAlert({ id: 'b', severity: 'low', status: 'acknowledged', zones: ['z2'], ruleId: 'r2', evidence: [ev('rtm')], assignee: 'alice' });
  const c = makeAlert({ id: 'c', severity: 'medium', zones: ['z1', 'z2'], ruleId: 'r2', silencedBy: 's1' });
  const pick = (f: Partial<typeof EMPTY_FILTER>) => [a, b, c].filter((x) => matchesFilter(x, { ...EMPTY_FILTER, ...f }, names)).map((x) => x.id);

  it('filters by status, severity, zone, rule, source; silenced only on demand', () => {
    expect(pick({})).toEqual(['a', 'b']);
    expect(pick({ showSilenced: true })).toEqual(['a', 'b', 'c']);
    expect(pick({ statuses: ['acknowledged'] })).toEqual(['b']);
    expect(pick({ severities: ['critical', 'medium'], showSilenced: true })).toEqual(['a', 'c']);
    expect(pick({ zone: 'z2', showSilenced: true })).toEqual(['b', 'c']);
    expect(pick({ rule: 'r2' })).toEqual(['b']);
    expect(pick({ source: 'rtm' })).toEqual(['b']);
  });

  it('searches words in title, zone names (accents folded) and assignee', () => {
    expect(pick({ search: 'belsunce' })).toEqual(['b']);
    expect(pick({ search: 'port vieux' })).toEqual(['a']);
    expect(pick({ search: 'port nord' })).toEqual([]);
    expect(pick({ search: 'vieux-port' })).toEqual(['a']);
    expect(pick({ search: 'ALICE' })).toEqual(['b']);
  });

  it('finds an alert by its short reference, as operators say it', () => {
    const x = makeAlert({ id: '3f9a2c71-0b4e-4c1d-9a55-2f6f0e1d2c3b' });
    expect(matchesFilter(x, { ...EMPTY_FILTER, search: '3F9A2C' }, names)).toBe(true);
    expect(matchesFilter(x, { ...EMPTY_FILTER, search: '3f9a' }, names)).toBe(true);
    expect(matchesFilter(x, { ...EMPTY_FILTER, search: '0b4e' }, names)).toBe(false);
  });

  it('groups by zone (an alert in two zones under both), most severe group first', () => {
    const groups = groupQueue([a, b, c], 'zone', names, 'none');
    expect(groups.map((g) => [g.label, g.alerts.map((x) => x.id)])).toEqual([['Vieux-Port', ['a', 'c']], ['Belsunce', ['b', 'c']]]);
    expect(groupQueue([a, b, c], 'rule', names, 'none').map((g) => g.key)).toEqual(['r1', 'r2']);
    expect(groupQueue([a, b], 'none', names, 'none')).toHaveLength(1);
  });

  it('offers the rules, zones and sources present', () => {
    expect(filterChoices([a, b, c])).toEqual({ rules: ['r1', 'r2'], zones: ['z1', 'z2'], sources: ['csu', 'rtm'] });
  });
});
