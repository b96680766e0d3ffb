import { describe, expect, it } from 'vitest';
import { inFilterBlock, kindOf, ruleDiagnostics, ruleFields, suggestionsAt, unknownZones } from './rule-language.ts';

const OK = 'id: r\ntitle: "T"\nseverity: high\nkind: match\nwhere: { type: "incident.*" }\n';

describe('the rule language in the editor', () => {
  it('reports nothing for a valid rule, and each error at its line and field as offsets', () => {
    expect(ruleDiagnostics(OK)).toEqual([]);
    const text = OK.replace('severity: high', 'severity: loud');
    const [d] = ruleDiagnostics(text);
    expect(d).toMatchObject({ line: 3, field: 'severity' });
    expect(d!.message).toMatch(/^severity\u00a0: une valeur parmi/); // the default language is French
    expect(text.slice(d!.from, d!.to)).toBe('loud');
    const unknown = ruleDiagnostics(`${OK}windoww: 10m\n`);
    expect(unknown).toMatchObject([{ line: 6, field: 'windoww' }]);
    expect(ruleDiagnostics('id: [')[0]!.line).toBeGreaterThanOrEqual(1);
  });

  it('knows the fields of each kind from the schema', () => {
    expect(ruleFields('threshold')).toEqual(expect.arrayContaining(['title', 'window', 'count', 'groupBy']));
    expect(ruleFields('match')).not.toContain('window');
    expect(ruleFields()).toEqual(expect.arrayContaining(['steps', 'within', 'for']));
  });

  it('suggests kinds, severities, operators and field names where they fit', () => {
    expect(suggestionsAt('kind: thr', undefined, false)).toMatchObject({ from: 6, options: expect.arrayContaining([{ label: 'threshold', type: 'enum' }]) });
    expect(suggestionsAt('severity: ', 'match', false)!.options.map((o) => o.label)).toEqual(['info', 'low', 'medium', 'high', 'critical']);
    expect(suggestionsAt('    - { field: severity, op: g', 'match', true)!.options.map((o) => o.label)).toContain('gte');
    expect(suggestionsAt('win', 'threshold', false)).toMatchObject({ from: 0, options: expect.arrayContaining([{ label: 'window', type: 'property', apply: 'window: ' }]) });
    expect(suggestionsAt('  ty', 'match', true)!.options.map((o) => o.label)).toContain('type');
    expect(suggestionsAt('title: "Bruit', 'match', false)).toBeNull();
  });

  it('reads the kind and tells filter blocks', () => {
    expect(kindOf(OK)).toBe('match');
    const lines = ['id: r', 'where:', '  all:', '    - x', 'window: 1m'];
    expect(inFilterBlock(lines, 3)).toBe(true);
    expect(inFilterBlock(lines, 4)).toBe(false);
  });
});

describe('unknownZones', () => {
  const zones = [{ id: 'vieux-port', tags: ['centre'] }, { id: 'joliette', tags: [] }];
  const rule = (extra: string) => `id: r\ntitle: T\nseverity: low\nkind: match\n${extra}`;

  it('names a groupBy zone kind no zone has (the rule would group nothing)', () => {
    const kinds = [{ id: 'vieux-port', kind: 'quartier' }, { id: 's1', kind: 'sector' }];
    const threshold = (groupBy: string) => `id: r\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: incident.theft }\ngroupBy: "${groupBy}"\nwindow: 10m\ncount: { gte: 3 }\n`;
    expect(unknownZones(threshold('zone:nimporte'), kinds)).toEqual(['zone:nimporte']);
    expect(unknownZones(threshold('zone:sector'), kinds)).toEqual([]);
    expect(unknownZones(threshold('zone'), kinds)).toEqual([]);
  });

  it('names the zones a rule mentions that the city does not have, in its zones block and its inZone conditions', () => {
    expect(unknownZones(rule('where: { type: incident.theft }\nzones: [vieux-port, zone-qui-nexiste-pas]\n'), zones)).toEqual(['zone-qui-nexiste-pas']);
    expect(unknownZones(rule('where: { all: [ { type: incident.theft }, { op: inZone, value: [joliette, "tag:nulle-part"] } ] }\n'), zones)).toEqual(['tag:nulle-part']);
    expect(unknownZones(rule('where: { not: { op: inZone, value: "tag:centre" } }\n'), zones)).toEqual([]);
  });

  it('says nothing of a rule that does not parse (its errors say enough)', () => {
    expect(unknownZones('id: r\nkind: nope\n', zones)).toEqual([]);
  });
});
