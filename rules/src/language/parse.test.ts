import { describe, expect, it } from 'vitest';
import { parseRule } from './parse.ts';
import { OPERATORS } from './filter-schema.ts';

describe('parseRule', () => {
  it('accepts a valid threshold rule and applies defaults', () => {
    const r = parseRule(`id: many\ntitle: Many\nseverity: high\nkind: threshold\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n`);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rule.enabled).toBe(true);
      expect(r.rule.actions).toEqual([]);
    }
  });

  it('reports a YAML syntax error with its line', () => {
    const r = parseRule('id: a\ntitle: [unclosed\nseverity: high\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('names the field and line of a wrong value', () => {
    const r = parseRule('id: a\ntitle: T\nseverity: huge\nkind: match\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ line: 3, column: 11, field: 'severity' })]);
  });

  it('points at a missing required field and an unknown one', () => {
    const r = parseRule('id: a\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: zone\ncount: { gte: 2 }\nwindoww: 5m\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const fields = r.errors.map((e) => e.field);
      expect(fields).toContain('window');
      const unknown = r.errors.find((e) => e.field === 'windoww')!;
      expect(unknown.line).toBe(7);
      expect(unknown.message).toMatch(/unknown field/);
    }
  });

  it('locates an error deep inside a filter', () => {
    const yaml = [
      'id: a', 'title: T', 'severity: low', 'kind: match', 'where:', '  all:',
      '    - { type: "incident.*" }', '    - { field: severity, op: bigger, value: 3 }',
    ].join('\n');
    const r = parseRule(yaml);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ line: 8, field: 'where.all.1.op' });
      expect(r.errors[0]!.message).toMatch(/unknown operator "bigger"/);
    }
  });

  it('checks operator values and field names', () => {
    const bad = (where: string) => {
      const r = parseRule(`id: a\ntitle: T\nseverity: low\nkind: match\nwhere: ${where}\n`);
      return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
    };
    expect(bad('{ field: severity, op: gt, value: "x" }')).toEqual(['where.value: gt takes a number']);
    expect(bad('{ op: hourBetween, value: [22] }')[0]).toMatch(/hourBetween/);
    expect(bad('{ colour: red }')[0]).toMatch(/^where.colour: unknown field/);
    expect(bad('{ all: [] }')[0]).toMatch(/non-empty list/);
    expect(bad('{ attributes.lampId: "LUM-*" }')).toEqual([]);
  });

  it('checks each kind for its own fields, and refuses unknown kinds at the kind line', () => {
    const anomaly = parseRule('id: a\ntitle: T\nseverity: low\nkind: anomaly\n');
    expect(anomaly.ok).toBe(false);
    if (!anomaly.ok) expect(anomaly.errors.map((e) => e.field).sort()).toEqual(['groupBy', 'window']);
    const unknown = parseRule('id: a\ntitle: T\nseverity: low\nkind: magic\n');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]).toMatchObject({ line: 4, field: 'kind', message: expect.stringMatching(/unknown kind "magic"/) });
    const both = parseRule('id: a\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: zone\nwindow: 5m\ncount: { gte: 2 }\ndistinct: { field: source, gte: 2 }\n');
    if (!both.ok) expect(both.errors[0]!.message).toMatch(/exactly one of/);
    expect(both.ok).toBe(false);
    const steps = parseRule('id: a\ntitle: T\nseverity: low\nkind: sequence\nwithin: 1h\nnear: 50 metres\nsteps:\n  - { as: x, where: { type: a } }\n  - { as: x, where: { type: b } }\n');
    expect(steps.ok).toBe(false);
    if (!steps.ok) expect(steps.errors.map((e) => `${e.line}:${e.field}`)).toEqual(['6:near', '9:steps.1.as']);
    const cron = parseRule('id: a\ntitle: T\nseverity: low\nkind: match\nactiveDuring: { cron: "* 25 * * *" }\n');
    if (!cron.ok) expect(cron.errors[0]).toMatchObject({ line: 5, field: 'activeDuring.cron', message: expect.stringMatching(/hour/) });
    expect(cron.ok).toBe(false);
  });

  it('says "required" only for a field that is absent, and zod\'s message for a wrong type', () => {
    const r = parseRule('id: a\ntitle: [T]\nseverity: low\nkind: match\n');
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ line: 2, field: 'title', message: expect.stringMatching(/expected string/) })] });
    const missing = parseRule('id: a\nseverity: low\nkind: match\n');
    expect(missing).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'title', message: 'required' })] });
  });

  it('refuses a rule nested too deeply (all, any, not inside one another), located, without overflowing the stack', () => {
    const nested = (n: number) => parseRule(`id: d\ntitle: T\nseverity: low\nkind: match\nwhere: ${'{ not: '.repeat(n)}{ type: x }${' }'.repeat(n)}\n`);
    expect(nested(20).ok).toBe(true);
    for (const n of [40, 3000]) {
      const r = nested(n);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 5, message: 'nested too deeply: at most 32 levels (all, any and not inside one another)', reason: { key: 'too_big', limit: 32 } });
    }
  });

  it('refuses a YAML alias bomb (billion laughs) as a rule error at its first alias, without throwing', () => {
    const bomb = ['id: lol', 'title: T', 'severity: low', 'kind: match', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    const r = parseRule(bomb);
    expect(r).toEqual({ ok: false, errors: [{ line: 6, column: 8, field: '', message: expect.stringMatching(/aliases/), reason: { key: 'aliases' } }] });
    // A few aliases stay fine.
    expect(parseRule('id: ok\ntitle: &t T\nseverity: low\nkind: match\ndescription: *t\n').ok).toBe(true);
  });

  it('refuses a document that is not a mapping and an oversized one', () => {
    expect(parseRule('- a\n- b\n').ok).toBe(false);
    expect(parseRule(`id: a\ntitle: ${'x'.repeat(70_000)}\n`).ok).toBe(false);
  });

  it('refuses a type no event can have (a regular expression, capitals), which would match nothing while it reads as valid', () => {
    const rule = (where: string) => parseRule(`id: a\ntitle: T\nseverity: low\nkind: match\nwhere: ${where}\n`);
    for (const where of ['{ type: "incident\\\\.(assault|theft)" }', '{ type: ["incident.*", "Accident.Car"] }', '{ field: type, op: glob, value: "incident.[a-z]+" }']) {
      const r = rule(where);
      expect(r.ok, where).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toMatch(/can never be an event type/);
    }
    for (const where of ['{ type: "incident.*" }', '{ type: ["accident.?ar", "transport.incident-major"] }', '{ field: type, op: glob, value: "crowd.*" }', '{ field: attributes.code, op: eq, value: "A(1)" }']) {
      expect(rule(where).ok, where).toBe(true);
    }
  });

  it('gives each error its reason as data, for an editor to say it in its language', () => {
    const reasons = (yaml: string) => { const r = parseRule(yaml); return r.ok ? [] : r.errors.map((e) => [e.field, e.reason]); };
    const base = 'id: a\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: incident.theft }\n';
    expect(reasons(`${base}groupBy: zone\nwindow: 10 minutes\ncount: { gte: 3 }\n`)).toEqual([['window', { key: 'duration' }]]);
    // No window of nothing, none the engine could not count in (a year at most), no suppression of nothing.
    expect(reasons(`${base}groupBy: zone\nwindow: 0s\ncount: { gte: 3 }\n`)).toEqual([['window', { key: 'duration' }]]);
    expect(reasons(`${base}groupBy: zone\nwindow: 99999999999d\ncount: { gte: 3 }\n`)).toEqual([['window', { key: 'duration' }]]);
    expect(reasons(`${base}groupBy: zone\nwindow: 367d\ncount: { gte: 3 }\nsuppress: 0m\n`)).toEqual([['window', { key: 'duration' }], ['suppress', { key: 'duration' }]]);
    expect(reasons(`${base}groupBy: zone\nwindow: 366d\ncount: { gte: 3 }\n`)).toEqual([]);
    expect(reasons('id: a\ntitle: T\nseverity: low\nkind: cooccurrence\ndistinct: source\nmin: 2\nwithin: 10m\nnear: 0m\n')).toEqual([['near', { key: 'distance' }]]);
    expect(reasons(`${base}groupBy: "zone:"\nwindow: 10m\ncount: { gte: 3 }\n`)).toEqual([['groupBy', { key: 'group_by' }]]);
    expect(reasons(`${base}groupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nseverty: high\n`)).toEqual([['severty', { key: 'unknown_field' }]]);
    expect(reasons('id: a\ntitle: T\nseverity: loud\nkind: match\n')).toEqual([['severity', { key: 'one_of', values: ['info', 'low', 'medium', 'high', 'critical'] }]]);
    expect(reasons('id: a\nseverity: low\nkind: match\n')).toEqual([['title', { key: 'required' }]]);
    expect(reasons('id: a\ntitle: T\nseverity: low\nkind: nope\n')).toEqual([['kind', { key: 'one_of', values: ['match', 'threshold', 'anomaly', 'sequence', 'cooccurrence', 'absence'] }]]);
    expect(reasons('id: a\n\ttitle: T\n')[0]).toEqual(['', { key: 'yaml', code: 'TAB_AS_INDENT' }]);
    expect(reasons('id: a\ntitle: *x\nseverity: low\nkind: match\n')).toEqual([['', { key: 'yaml', code: 'BAD_ALIAS' }]]);
    expect(reasons('- a\n- b\n')).toEqual([['', { key: 'mapping' }]]);
  });

  it("gives a filter's, a schedule's and the kinds' own checks their reason as data too", () => {
    const reasons = (yaml: string) => { const r = parseRule(yaml); return r.ok ? [] : r.errors.map((e) => [e.field, e.reason]); };
    const match = (rest: string) => reasons(`id: a\ntitle: T\nseverity: low\nkind: match\n${rest}`);
    expect(match('where: { field: type, op: nope }\n')).toEqual([['where.op', { key: 'one_of', values: [...OPERATORS] }]]);
    expect(match('where: { field: severity, op: gt, value: x }\n')).toEqual([['where.value', { key: 'op_value', op: 'gt' }]]);
    expect(match('where: { op: gt, value: 3 }\n')).toEqual([['where.field', { key: 'needs_field', op: 'gt' }]]);
    expect(match('where: { field: type, op: eq, value: a, extra: 1 }\n')).toEqual([['where.extra', { key: 'condition_key', name: 'extra' }]]);
    expect(match('where: { all: [] }\n')).toEqual([['where.all', { key: 'filter_list', word: 'all' }]]);
    expect(match('where: { not: { type: a }, type: b }\n')).toEqual([['where', { key: 'filter_alone', word: 'not' }]]);
    expect(match('where: {}\n')).toEqual([['where', { key: 'filter_empty' }]]);
    expect(match('where: [a]\n')).toEqual([['where', { key: 'filter_mapping' }]]);
    expect(match('where: { colour: red }\n')).toEqual([['where.colour', { key: 'field_ref' }]]);
    expect(match('where: { type: { a: 1 } }\n')).toEqual([['where.type', { key: 'filter_value' }]]);
    expect(match('where: { type: "incident\\\\.(a|b)" }\n')).toEqual([['where.type', { key: 'type_pattern', value: 'incident\\.(a|b)' }]]);
    expect(match('activeDuring: { cron: "* 18-23 * *" }\n')).toEqual([['activeDuring.cron', { key: 'schedule_fields' }]]);
    expect(match('activeDuring: { cron: "* 25 * * *" }\n')).toEqual([['activeDuring.cron', { key: 'schedule_part', field: 'hour', part: '25', problem: 'range', min: 0, max: 23 }]]);
    expect(match('activeDuring: { cron: "* * * * fri" }\n')).toEqual([['activeDuring.cron', { key: 'schedule_part', field: 'weekday', part: 'fri', problem: 'syntax', min: 0, max: 7 }]]);
    expect(reasons('id: a\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: zone\nwindow: 10m\n')).toEqual([['count', { key: 'one_measure' }]]);
    const steps = 'steps:\n  - { as: x, where: { type: a } }\n  - { as: x, where: { type: b } }\nwithin: 1h\n';
    expect(reasons(`id: a\ntitle: T\nseverity: low\nkind: sequence\n${steps}`)).toEqual([['steps.1.as', { key: 'step_twice', name: 'x' }]]);
  });

  it('reads translations of the wording, and refuses a language that is not two letters, a missing action or too many languages', () => {
    const rule = 'id: a\ntitle: "{count} vols"\nseverity: low\nkind: match\nactions: ["Appeler", "Envoyer"]\n';
    const ok = parseRule(`${rule}translations:\n  en: { title: "{count} thefts", actions: ["Call", "Send"] }\n  de: { title: "{count} Diebstähle" }\n`);
    expect(ok.ok && ok.rule.translations).toEqual({ en: { title: '{count} thefts', actions: ['Call', 'Send'] }, de: { title: '{count} Diebstähle' } });
    const reasons = (yaml: string) => { const r = parseRule(yaml); return r.ok ? [] : r.errors.map((e) => [e.field, e.reason]); };
    expect(reasons(`${rule}translations:\n  EN: { title: x }\n  english: { title: y }\n`)).toEqual([
      ['translations.EN', { key: 'translation_language' }], ['translations.english', { key: 'translation_language' }]]);
    expect(reasons(`${rule}translations:\n  en: { title: x, actions: [Call] }\n`)).toEqual([['translations.en.actions', { key: 'translation_actions', count: 2 }]]);
    expect(reasons(`${rule}translations:\n  en: { title: "" }\n`)).toEqual([['translations.en.title', { key: 'too_short', limit: 1 }]]);
    expect(reasons(`${rule}translations:\n  en: { titel: x }\n`)).toEqual([['translations.en.title', { key: 'required' }], ['translations.en.titel', { key: 'unknown_field' }]]);
    const eleven = Array.from({ length: 11 }, (_, i) => `  ${String.fromCharCode(97 + i)}a: { title: x }\n`).join('');
    expect(reasons(`${rule}translations:\n${eleven}`)).toEqual([['translations', { key: 'too_big', limit: 10 }]]);
  });
});
