import { describe, expect, it } from 'vitest';
import { ruleFromYaml } from '../testing/fixtures.ts';
import { equalityScope, equalityTest } from './equality-scope.ts';
import type { Filter } from './filter-schema.ts';

const scope = (f: Filter | undefined) => Object.fromEntries([...equalityScope(f)].map(([k, v]) => [k, [...v].sort()]));

describe('equalityScope', () => {
  it('reads short-form values and lists, eq and in, as strings', () => {
    expect(scope({ source: 'csu', 'attributes.flag': true, severity: [4, 5] })).toEqual({ source: ['csu'], 'attributes.flag': ['true'], severity: ['4', '5'] });
    expect(scope({ field: 'attributes.code', op: 'eq', value: 7 })).toEqual({ 'attributes.code': ['7'] });
    expect(scope({ field: 'source', op: 'in', value: ['a', 'b'] })).toEqual({ source: ['a', 'b'] });
  });

  it('a glob is no equality (short form and in), but eq is always literal', () => {
    expect(scope({ source: 'cs*' })).toEqual({});
    expect(scope({ source: ['csu', 'rt?'] })).toEqual({});
    expect(scope({ field: 'source', op: 'in', value: ['csu', 'a*'] })).toEqual({});
    expect(scope({ field: 'source', op: 'eq', value: 'a*' })).toEqual({ source: ['a*'] });
  });

  it('other operators imply nothing', () => {
    for (const op of ['ne', 'nin', 'gt', 'gte', 'lt', 'lte', 'glob', 'contains', 'exists'] as const) {
      const value = op === 'nin' ? ['a'] : op === 'exists' ? true : op === 'glob' || op === 'contains' ? 'a' : 1;
      expect(scope({ field: 'source', op, value })).toEqual({});
    }
    expect(scope({ op: 'inZone', value: 'A' })).toEqual({});
  });

  it('all intersects, any unites only fields every branch tests, not implies nothing', () => {
    expect(scope({ all: [{ source: ['a', 'b'] }, { all: [{ source: ['b', 'c'] }, { severity: 4 }] }] })).toEqual({ source: ['b'], severity: ['4'] });
    expect(scope({ all: [{ source: 'a' }, { source: 'b' }] })).toEqual({ source: [] });
    expect(scope({ any: [{ source: 'a', severity: 1 }, { all: [{ source: 'b' }, { severity: 2 }] }] })).toEqual({ source: ['a', 'b'], severity: ['1', '2'] });
    expect(scope({ any: [{ source: 'a' }, { severity: 2 }] })).toEqual({});
    expect(scope({ any: [{ source: 'a' }, { not: { source: 'b' } }] })).toEqual({});
    expect(scope({ not: { source: 'a' } })).toEqual({});
    expect(scope({ all: [{ source: 'a' }, { not: { severity: 2 } }] })).toEqual({ source: ['a'] });
    expect(scope(undefined)).toEqual({});
  });
});

describe('equalityTest', () => {
  it('takes the field with the fewest values, never type', () => {
    expect(equalityTest({ type: 'x', source: ['a', 'b'], 'attributes.flag': true })).toEqual({ field: 'attributes.flag', values: ['true'] });
    expect(equalityTest({ type: 'x' })).toBeUndefined();
    expect(equalityTest({ source: 'a*' })).toBeUndefined();
  });

  it('a compiled rule carries it, except a sequence (its steps decide)', () => {
    expect(ruleFromYaml('id: r\ntitle: T\nseverity: low\nkind: match\nwhere: { all: [ { type: x }, { source: csu } ] }\n').alpha).toEqual({ field: 'source', values: ['csu'] });
    const seq = ruleFromYaml('id: s\ntitle: T\nseverity: low\nkind: sequence\nwhere: { source: csu }\nwithin: 10m\nsteps:\n  - { as: a, where: { type: x } }\n  - { as: b, where: { type: y } }\n');
    expect(seq.alpha).toBeUndefined();
  });
});
