import { describe, expect, it } from 'vitest';
import { ruleDescriptionIn, ruleTemplateDescribed, ruleTemplateIn, ruleTitleText } from './rule-title.ts';

describe('ruleTitleText', () => {
  it('is the title without the placeholders that end it or stand in brackets, for lists of rules', () => {
    expect(ruleTitleText('Afflux en sortie de match — {zone}')).toBe('Afflux en sortie de match');
    expect(ruleTitleText('Flux silencieux : {key}')).toBe('Flux silencieux');
    expect(ruleTitleText('Cambriolage à proximité d\'un autre ({first.time|ago})')).toBe('Cambriolage à proximité d\'un autre');
    expect(ruleTitleText('Accident près d\'un lampadaire en panne depuis {fault.time|ago}')).toBe('Accident près d\'un lampadaire en panne');
    expect(ruleTitleText('{zone}')).toBe('{zone}');
    expect(ruleTitleText('Accident grave')).toBe('Accident grave');
  });

  it('says the window and the threshold from the rule itself, and any other placeholder as "…"', () => {
    expect(ruleTitleText('{count} signalements en {window} — {zone}', { window: '10m', count: { gte: 4 } })).toBe('≥\u00a04 signalements en 10 min');
    expect(ruleTitleText('{count} sources signalent un trouble au même endroit', { within: '10m', min: 3 })).toBe('≥\u00a03 sources signalent un trouble au même endroit');
    expect(ruleTitleText('Arrêt non desservi ({event.attributes.stopName|key}) — {count} courses', { window: '1h', count: { gte: 2 } })).toBe('Arrêt non desservi — ≥\u00a02 courses');
    expect(ruleTitleText('Incident transport majeur — ligne {event.attributes.line} ({count})')).toBe('Incident transport majeur — ligne …');
    expect(ruleTitleText('{count} signalements en {window}')).toBe('… signalements en …');
  });

  it('says a rule\'s translation for the console\'s language where it has one, else its own title', () => {
    const rule = { window: '10m', count: { gte: 4 }, translations: { en: { title: '{count} reports in {window} — {zone}' } } };
    expect(ruleTitleText('{count} signalements en {window} — {zone}', rule, 'en')).toBe('≥\u00a04 reports in 10 min');
    expect(ruleTitleText('{count} signalements en {window} — {zone}', rule, 'fr')).toBe('≥\u00a04 signalements en 10 min');
    expect(ruleTitleText('Accident grave', { translations: { en: { title: '' } } }, 'en')).toBe('Accident grave');
    expect(ruleTemplateIn('Accident grave — {zone}', { translations: { en: { title: 'Serious accident — {zone}' } } }, 'en')).toBe('Serious accident — {zone}');
  });
});

describe('ruleDescriptionIn', () => {
  it('is what the rule watches in the console\'s language where it is translated, else in its own, and nothing without one', () => {
    const rule = { description: 'Un accident près d\'un lampadaire en panne.', translations: { en: { title: 'T', description: 'An accident near a street light out.' } } };
    expect(ruleDescriptionIn(rule, 'en')).toBe('An accident near a street light out.');
    expect(ruleDescriptionIn(rule, 'fr')).toBe('Un accident près d\'un lampadaire en panne.');
    expect(ruleDescriptionIn({ description: 'Seul' , translations: { en: { title: 'T' } } }, 'en')).toBe('Seul');
    expect(ruleDescriptionIn({ description: '  ' }, 'fr')).toBeUndefined();
    expect(ruleDescriptionIn(undefined, 'fr')).toBeUndefined();
  });
});

describe('ruleTemplateDescribed', () => {
  it("shows a title template's placeholders said for what they stand, never the rule language", () => {
    expect(ruleTemplateDescribed("Accident près d'un lampadaire en panne depuis {fault.time|ago}", {}, 'fr')).toBe("Accident près d'un lampadaire en panne depuis [durée écoulée]");
    expect(ruleTemplateDescribed('Burglary near another one ({first.time|ago})', {}, 'en')).toBe('Burglary near another one ([time elapsed])');
    expect(ruleTemplateDescribed('{count} signalements en {window} — {zone}', { window: '10m', count: { gte: 4 } }, 'fr')).toBe('≥\u00a04 signalements en 10 min — [zone]');
    expect(ruleTemplateDescribed('Flux silencieux : {key}', {}, 'fr')).toBe('Flux silencieux : [groupe]');
    expect(ruleTemplateDescribed('Arrêt non desservi : {event.attributes.stopName|key}', {}, 'fr')).toBe('Arrêt non desservi : [stopName]');
    expect(ruleTemplateDescribed('Agressions — {zone}', { translations: { en: { title: 'Assaults — {zone}' } } }, 'en')).toBe('Assaults — [zone]');
    expect(ruleTemplateDescribed('{key}: {count} en {window}', {}, 'fr')).toBe('[groupe]: [nombre] en [fenêtre]');
    expect(ruleTemplateDescribed('{key}: {count} in {window}', {}, 'en')).toBe('[group]: [count] in [window]');
  });
});
