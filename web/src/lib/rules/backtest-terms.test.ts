import { describe, expect, it } from 'vitest';
import { evidenceText, readableCondition, zoneKindLabel } from './backtest-terms.ts';

describe("a backtest's explanations, in the console's words", () => {
  it('say a grouping by zone kind as the kind, not the rule language', () => {
    expect(readableCondition('au moins 3 événements en 15 min par zone:sector', 'fr')).toBe('au moins 3 événements en 15 min par secteur');
    expect(readableCondition('at least 3 events within 15 min per zone:quartier', 'en')).toBe('at least 3 events within 15 min per neighbourhood');
    expect(zoneKindLabel('ilot', 'fr')).toBe('zone (ilot)');
    expect(zoneKindLabel('ilot', 'en')).toBe('zone (ilot)');
    // Two kinds, two words: the French administrative unit keeps its name in English.
    expect(zoneKindLabel('arrondissement', 'en')).toBe('arrondissement');
    expect(zoneKindLabel('district', 'en')).toBe('district');
    expect(readableCondition('au moins 3 événements en 15 min par zone:warning', 'fr')).toBe('au moins 3 événements en 15 min par zone de vigilance');
  });

  it('say event types by their labels, single or listed, and keep unknown ones and globs', () => {
    expect(readableCondition('type = incident.assault', 'fr')).toBe('type = agression');
    expect(readableCondition('type = incident.assault et gravité ≥ 4', 'fr')).toBe('type = agression et gravité ≥ 4');
    expect(readableCondition('type in [accident.bike, lighting.fault]', 'en')).toBe('type in [bicycle accident, street-light fault]');
    expect(readableCondition('type = custom.thing', 'en')).toBe('type = custom.thing');
    expect(readableCondition('type correspond à accident.*', 'fr')).toBe('type correspond à accident.*');
  });

  it('name zones by their names when known', () => {
    const names = new Map([['sector-13001', 'Vieux-Port'], ['sector-13002', 'Joliette']]);
    expect(readableCondition('dans les zones sector-13001, sector-13002', 'fr', names)).toBe('dans les zones Vieux-Port, Joliette');
    expect(readableCondition('in zone [sector-13001]', 'en', names)).toBe('in zone Vieux-Port');
    expect(readableCondition('in zone sector-9', 'en', new Map())).toBe('in zone sector-9');
  });

  it('count the evidence by type label and source', () => {
    const e = { source: 'csu', type: 'incident.assault' };
    expect(evidenceText([e, e, e], 'fr')).toBe('agression (csu) × 3');
    expect(evidenceText([e, { source: 'rtm', type: 'transport.delay' }], 'en')).toBe('assault (csu), transport delay (rtm)');
    expect(evidenceText([], 'en')).toBe('');
  });
});
