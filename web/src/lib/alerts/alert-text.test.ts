import { describe, expect, it } from 'vitest';
import { alertActions, alertTitle, alertTitles } from './alert-text.ts';

const alert = { title: 'Accident grave — Noailles', actions: ['Prévenir les secours'], translations: { en: { title: 'Serious accident — Noailles', actions: ['Call the emergency services'] } } };

describe('an alert in the console\'s language', () => {
  it('takes its rule\'s translation for that language, else the rule\'s own words', () => {
    expect(alertTitle(alert, 'en')).toBe('Serious accident — Noailles');
    expect(alertActions(alert, 'en')).toEqual(['Call the emergency services']);
    expect(alertTitle(alert, 'fr')).toBe('Accident grave — Noailles');
    expect(alertActions(alert, 'fr')).toEqual(['Prévenir les secours']);
    // Raised before translations, or by a rule without any.
    expect(alertTitle({ title: 'T' }, 'en')).toBe('T');
    expect(alertActions({ title: 'T', actions: ['A'], translations: {} }, 'en')).toEqual(['A']);
  });

  it('is searched in every language', () => {
    expect(alertTitles(alert)).toEqual(['Accident grave — Noailles', 'Serious accident — Noailles']);
  });
});
