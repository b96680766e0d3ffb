import { describe, expect, it } from 'vitest';
import { idLine, inFilterBlock, kindOf, mergeDiagnostics, ruleDiagnostics, ruleFields, suggestionsAt, takenIdDiagnostic, unknownZones } from './rule-language.ts';

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

  it('says the same error at the same line once, with how many it stands for', () => {
    // What seven Tabs typed at the start of the text made of it: the parser trips on every character of the next lines.
    const broken = `              ${OK}`;
    const all = ruleDiagnostics(broken);
    const lines = all.map((d) => d.line);
    expect(new Set(all.map((d) => `${d.line} ${d.message}`)).size).toBe(all.length); // no two alike
    expect(new Set(lines).size).toBe(lines.length);
    expect(all.some((d) => d.count > 1)).toBe(true);
    const [first] = all;
    expect(broken.slice(first!.from, first!.to)).not.toBe('');

    const at = (line: number, message: string, from: number, to: number) => ({ from, to, line, field: '', message, count: 1 });
    expect(mergeDiagnostics([at(2, 'a', 5, 9), at(2, 'a', 7, 12), at(2, 'b', 5, 9), at(3, 'a', 13, 14)])).toEqual([
      { ...at(2, 'a', 5, 12), count: 2 }, at(2, 'b', 5, 9), at(3, 'a', 13, 14),
    ]);
    expect(ruleDiagnostics(OK.replace('severity: high', 'severity: loud'))[0]!.count).toBe(1);
  });

  it('finds the id line, and marks it while the text gives the id another rule has', () => {
    expect(idLine(OK)).toEqual({ id: 'r', line: 1, from: 4, to: 5 });
    expect(idLine('# note\nid: "vols-nuit" # here\n')).toMatchObject({ id: 'vols-nuit', line: 2, from: 11 });
    expect(idLine('title: x\n')).toBeNull();
    const text = `# first\n${OK}`;
    const d = takenIdDiagnostic(text, 'r', 'en');
    expect(d).toMatchObject({ line: 2, field: 'id', count: 1, link: { href: '/rules/r', label: 'Open rule “r”' } });
    expect(text.slice(d!.from, d!.to)).toBe('r');
    expect(d!.message).toBe('id: already that of an existing rule; change it to create a new rule');
    expect(takenIdDiagnostic(text, 'r')!.message).toMatch(/^id\u00a0: déjà celui d’une règle existante/);
    expect(takenIdDiagnostic(text.replace('id: r', 'id: r2'), 'r')).toBeNull(); // changed: nothing to say
    expect(takenIdDiagnostic(text, null)).toBeNull();
    expect(takenIdDiagnostic('id: a b/c', 'a b/c')).toBeNull(); // not an id as the rule writes one
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
