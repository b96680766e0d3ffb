import { describe, expect, it } from 'vitest';
import { parseRule } from '@vigie/rules';
import { applyField, formErrors, formFieldOf, readForm } from './yaml-form.ts';
import { ruleDiagnostics } from './rule-language.ts';

const RULE = `# Noise at night, for the night shift
id: noise-burst
title: "Bruit — {zone}" # shown to operators
severity: medium
kind: threshold
where: { type: "citizen.noise" }
groupBy: "zone:sector"
window: 30m
count: { gte: 3 }
`;

describe('the rule form kept in sync with the YAML', () => {
  it('reads the common fields from the YAML', () => {
    expect(readForm(RULE)).toEqual({ title: 'Bruit — {zone}', severity: 'medium', window: '30m', threshold: '3', zones: '', schedule: '' });
    expect(readForm('id: [unclosed')).toBeNull();
    expect(readForm('- a list')).toBeNull();
  });

  it('changes one field and keeps the comments, the order and the other fields', () => {
    let text = applyField(RULE, 'threshold', '5');
    text = applyField(text, 'title', 'Bruit nocturne — {zone}');
    text = applyField(text, 'zones', 'sector-1, tag:centre');
    text = applyField(text, 'schedule', '* 22-23,0-5 * * *');
    expect(text).toContain('# Noise at night, for the night shift');
    expect(text).toContain('# shown to operators');
    expect(text).toContain('count: { gte: 5 }');
    expect(text).toContain('zones: [ sector-1, tag:centre ]');
    expect(readForm(text)).toEqual({ title: 'Bruit nocturne — {zone}', severity: 'medium', window: '30m', threshold: '5', zones: 'sector-1, tag:centre', schedule: '* 22-23,0-5 * * *' });
    expect(text.indexOf('id:')).toBeLessThan(text.indexOf('title:'));
    const parsed = parseRule(text);
    expect(parsed.ok && parsed.rule).toMatchObject({ zones: ['sector-1', 'tag:centre'], activeDuring: { cron: '* 22-23,0-5 * * *' } });
  });

  it('writes any number typed as a number, a negative one too (then the rule says why it cannot be)', () => {
    expect(applyField(RULE, 'threshold', '-3')).toContain('count: { gte: -3 }');
    expect(applyField(RULE, 'threshold', '2.5')).toContain('count: { gte: 2.5 }');
    expect(applyField(RULE, 'threshold', '1,000')).toContain('count: { gte: "1,000" }'); // not 1: refused as text
    expect(applyField(RULE, 'threshold', 'trois')).toContain('count: { gte: trois }');
    const parsed = parseRule(applyField(RULE, 'threshold', '-3'));
    expect(!parsed.ok && parsed.errors.map((e) => [e.field, e.reason])).toEqual([['count.gte', { key: 'too_small', limit: 1 }]]);
  });

  it('removes a field left empty, with the map that held it', () => {
    const text = applyField(applyField(RULE, 'schedule', '* * * * 6'), 'schedule', '');
    expect(text).not.toContain('activeDuring');
    expect(applyField(RULE, 'zones', ' ')).not.toContain('zones');
  });

  it('leaves a text it cannot parse as it is', () => {
    expect(applyField('id: [unclosed', 'title', 'x')).toBe('id: [unclosed');
  });

  it('gives each form field the errors about it, from the error\'s field', () => {
    expect(formFieldOf('severity')).toBe('severity');
    expect(formFieldOf('count.gte')).toBe('threshold');
    expect(formFieldOf('count')).toBe('threshold'); // `count: abc`: the map the field writes into
    expect(formFieldOf('zones.1')).toBe('zones');
    expect(formFieldOf('activeDuring.cron')).toBe('schedule');
    expect(formFieldOf('activeDuring')).toBe('schedule');
    expect(formFieldOf('translations.en.title')).toBeNull();
    expect(formFieldOf('windows')).toBeNull();
    expect(formFieldOf('')).toBeNull();
    const bad = RULE.replace('severity: medium', 'severity: urgent').replace('window: 30m', 'window: 30 minutes').replace('gte: 3', 'gte: abc');
    const errors = formErrors(ruleDiagnostics(bad, 'en'));
    expect(Object.keys(errors).sort()).toEqual(['severity', 'threshold', 'window']);
    expect(errors.severity).toEqual(['severity: one of: info, low, medium, high, critical']);
    expect(errors.threshold![0]).toMatch(/^count\.gte: /);
    expect(formErrors([])).toEqual({});
  });
});
