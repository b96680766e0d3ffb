import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { conditionsIn, explanationSentence, historyAction, numberLabel } from './explain.ts';

const zones = new Map([['sector-1', 'Vieux-Port']]);

describe('explanationSentence', () => {
  it('says a threshold alert in the console language, with the zone by name', () => {
    const alert = makeAlert({
      explanation: { kind: 'threshold', summary: '4 events within 10m', conditions: [], numbers: { count: 4, threshold: 4, window: '10m', groupBy: 'zone:sector', key: 'sector-1' } },
    });
    expect(explanationSentence(alert.explanation, 'fr', zones)).toBe('4 événements en 10 min dans Vieux-Port (seuil\u00a0: 4).');
    expect(explanationSentence(alert.explanation, 'en', zones)).toBe('4 events within 10 min in Vieux-Port (threshold: 4).');
  });

  it('says when a threshold alert fired as the events arrived, and when such a firing was not confirmed', () => {
    const numbers = { count: 5, threshold: 5, window: '15m', groupBy: 'zone:sector', key: 'sector-1' };
    expect(explanationSentence({ kind: 'threshold-early', summary: '', conditions: [], numbers }, 'fr', zones))
      .toBe('5 événements en 15 min dans Vieux-Port (seuil\u00a0: 5), dès leur arrivée, sans attendre les retardataires.');
    expect(explanationSentence({ kind: 'threshold-unconfirmed', summary: '', conditions: [], numbers: { ...numbers, count: 3 } }, 'fr', zones))
      .toBe('Non confirmée une fois les événements évalués dans l’ordre\u00a0: 3 en 15 min dans Vieux-Port (seuil\u00a0: 5).');
  });

  it('falls back to the English summary when the kind is unknown', () => {
    const alert = makeAlert({ explanation: { summary: 'something new', conditions: [], numbers: {} } });
    expect(explanationSentence(alert.explanation, 'fr', zones)).toBe('something new');
  });

  it('lists the conditions in French when the engine gave them, in English otherwise', () => {
    const explanation = { summary: '', conditions: ['type matches accident.*'], conditionsFr: ['type correspond à accident.*'], numbers: {} };
    expect(conditionsIn(explanation, 'fr')).toEqual(['type correspond à accident.*']);
    expect(conditionsIn(explanation, 'en')).toEqual(['type matches accident.*']);
    expect(conditionsIn({ ...explanation, conditionsFr: undefined }, 'fr')).toEqual(['type matches accident.*']);
  });

  it('translates number names and history actions, keeping unknown ones', () => {
    expect(numberLabel('threshold', 'fr')).toBe('Seuil');
    expect(numberLabel('pValue', 'fr')).toBe('pValue');
    expect(historyAction('ack', 'en')).toBe('Acknowledged');
    expect(historyAction('toString', 'en')).toBe('toString');
  });
});
