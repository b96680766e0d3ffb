import { describe, expect, it } from 'vitest';
import { parseRule } from '@vigie/rules';
import { isNewRuleTemplate, newRuleYaml } from './new-rule.ts';

describe('the new rule template', () => {
  it('is a valid rule in both languages of the console, its own words French with their English beside them', () => {
    for (const lang of ['fr', 'en'] as const) {
      const parsed = parseRule(newRuleYaml(lang));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.rule.title).toBe('Nouvelle règle — {zone}');
      expect(parsed.rule.translations?.en).toMatchObject({ title: 'New rule — {zone}', actions: ["Check the area's cameras"] });
    }
    expect(newRuleYaml('en')).toMatch(/^# A rule's own words are French/);
  });

  it('is known untouched whatever the language it was made in, and not once edited', () => {
    expect(isNewRuleTemplate(newRuleYaml('fr'))).toBe(true);
    expect(isNewRuleTemplate(newRuleYaml('en'))).toBe(true);
    expect(isNewRuleTemplate(newRuleYaml('en').replace('count: { gte: 3 }', 'count: { gte: 4 }'))).toBe(false);
  });
});
