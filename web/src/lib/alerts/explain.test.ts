import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { EXPLANATION_KINDS } from '@vigie/rules';
import { fr } from '../i18n/fr.ts';
import { conditionsIn, explanationSentence, historyAction, historyActor, historyNote, numberLabel, numberValue } from './explain.ts';

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

  it('says a match by what its event is, the type itself when it has no name', () => {
    const match = (type: string) => ({ kind: 'match' as const, summary: '', conditions: [], numbers: { count: 1, type, source: 'csu' } });
    expect(explanationSentence(match('accident.bike'), 'fr', zones)).toBe('Un événement «\u00a0accident de vélo\u00a0» signalé par csu remplit les conditions de la règle.');
    expect(explanationSentence(match('accident.bike'), 'en', zones)).toBe('An event of type “bicycle accident” from csu meets the rule’s conditions.');
    expect(explanationSentence(match('works.night'), 'fr', zones)).toBe('Un événement «\u00a0works.night\u00a0» signalé par csu remplit les conditions de la règle.');
  });

  it('writes counts as the language writes numbers, a rule’s version as it is', () => {
    const numbers = { count: 12345, threshold: 10000, window: '1h', groupBy: 'zone:sector', key: 'sector-1' };
    expect(explanationSentence({ kind: 'threshold', summary: '', conditions: [], numbers }, 'fr', zones)).toBe('12\u202f345 événements en 1 h dans Vieux-Port (seuil\u00a0: 10\u202f000).');
    expect(explanationSentence({ kind: 'threshold', summary: '', conditions: [], numbers }, 'en', zones)).toMatch(/^12,345 events within 1 h in Vieux-Port \(threshold: 10,000\)\.$/);
    expect(explanationSentence({ kind: 'rule-changed', summary: '', conditions: [], numbers: { version: 1234, window: '10m' } }, 'fr', zones)).toMatch(/selon la version 1234 de la règle/);
  });

  it('every kind of explanation the engine gives has its sentence (no English summary in a French console)', () => {
    expect(EXPLANATION_KINDS.filter((k) => !Object.hasOwn(fr, `explain.${k}`))).toEqual([]);
  });

  it('says a co-occurrence, a sequence and a silence in French, durations as durations', () => {
    const cooc = { kind: 'cooccurrence' as const, summary: '', conditions: [], numbers: { distinct: 3, field: 'source', values: 'citoyens, csu, rtm', min: 3, events: 4, spanSeconds: 140, maxDistanceMeters: 120 } };
    expect(explanationSentence(cooc, 'fr', zones)).toBe('3 valeurs distinctes de source (citoyens, csu, rtm) en 140\u00a0s et dans un rayon de 120\u00a0m (au moins 3).');
    const spot = { kind: 'cooccurrence-events' as const, summary: '', conditions: [], numbers: { events: 3, min: 3, duration: '10h', spanSeconds: 36000, maxDistanceMeters: 90 } };
    expect(explanationSentence(spot, 'fr', zones)).toBe('3 événements en 10 h dans un rayon de 90\u00a0m (au moins 3).');
    expect(explanationSentence({ ...spot, kind: 'cooccurrence-events-early' }, 'en', zones)).toBe('3 events within 10 h and 90 m (at least 3), as they arrived, without waiting for late ones.');
    const seq = { kind: 'sequence' as const, summary: '', conditions: [], numbers: { steps: 'first incident.burglary → again incident.burglary', duration: '3h' } };
    expect(explanationSentence(seq, 'fr', zones)).toBe('Enchaînement first incident.burglary → again incident.burglary en 3 h.');
    const silent = { kind: 'absence' as const, summary: '', conditions: [], numbers: { gap: '20m', key: 'rtm', groupBy: 'source' } };
    expect(explanationSentence(silent, 'fr', zones)).toBe('Rien de rtm depuis 20 min.');
    expect(numberValue('gap', '20m')).toBe('20 min');
    expect(numberValue('maxDistanceMeters', 120)).toBe('120');
    expect([numberValue('count', 12345, 'fr'), numberValue('count', 12345, 'en'), numberValue('version', 1234, 'fr')]).toEqual(['12\u202f345', '12,345', '1234']);
    expect([numberValue('type', 'accident.bike', 'fr'), numberValue('type', 'accident.bike', 'en'), numberValue('type', 'zzz.unknown', 'fr')]).toEqual(['accident de vélo', 'bicycle accident', 'zzz.unknown']);
    expect(numberValue('pValue', 0, 'fr')).toBe('< 0,0001');
    expect(numberValue('pValue', 0.00312, 'en')).toBe('0.0031');
    expect(numberValue('threshold', 0.001, 'fr')).toBe('0,001');
    expect(numberValue('expected', 2.25, 'fr')).toBe('2,25');
    expect(numberValue('threshold', 0.00001, 'fr')).toBe('0,00001');
    expect(numberLabel('maxDistanceMeters', 'fr')).toBe('Distance max. (m)');
  });

  it('says an anomaly\'s probability as a reader takes it in, decimals in the language\'s way', () => {
    const anomaly = (pValue: number) => ({ kind: 'anomaly' as const, summary: '', conditions: [], numbers: { count: 6, expected: 0.25, pValue, threshold: 0.001, window: '1h', groupBy: 'zone', key: 'sector-1' } });
    expect(explanationSentence(anomaly(0), 'fr', zones)).toBe('6 événements en 1 h dans Vieux-Port, pour environ 0,25 d’habitude à cette heure de la semaine (p < 0,0001, sous le seuil de 0,001).');
    expect(explanationSentence(anomaly(0.000412), 'en', zones)).toBe('6 events within 1 h in Vieux-Port, where about 0.25 are usual at this hour of the week (p = 0.00041, under the threshold of 0.001).');
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
    expect(numberLabel('pValue', 'fr')).toBe('Probabilité (p)');
    expect(numberLabel('somethingNew', 'fr')).toBe('somethingNew');
    expect(historyAction('ack', 'en')).toBe('Acknowledged');
    expect(historyAction('toString', 'en')).toBe('toString');
  });

  it('names the engine and the server\'s jobs in the console\'s language, and words an escalation with severities', () => {
    expect(historyActor('engine', 'fr')).toBe('moteur de règles');
    expect(historyActor('system', 'en')).toBe('system');
    expect(historyActor('dupont', 'fr')).toBe('dupont');
    expect(historyNote({ action: 'escalated', note: 'high → critical' }, 'fr')).toBe('Haute → Critique');
    expect(historyNote({ action: 'escalated', note: 'critical → critical' }, 'fr')).toBe('toujours Critique\u00a0: relancée, personne ne l’a prise en compte');
    expect(historyNote({ action: 'comment', note: 'high → critical' }, 'fr')).toBe('high → critical');
    expect(historyNote({ action: 'escalated' }, 'fr')).toBeUndefined();
  });
});
