import { describe, expect, it } from 'vitest';
import { fr } from '../i18n/fr.ts';
import { reasonText } from './reason-text.ts';

describe('reasonText', () => {
  it('words the server reason in the console language, with its figures', () => {
    expect(reasonText('fr', { key: 'required' }, 'required')).toBe('obligatoire');
    expect(reasonText('fr', { key: 'too_big', limit: 5 }, 'Too big: expected number to be <=5')).toBe('au plus 5');
    expect(reasonText('en', { key: 'too_long', limit: 10000 }, '…')).toBe('at most 10,000 characters');
    expect(reasonText('fr', { key: 'one_of', values: ['a', 'b'] }, '…')).toBe('une valeur parmi\u00a0: a, b');
    expect(reasonText('fr', { key: 'datetime' }, 'not a date')).toMatch(/^pas une date et heure/);
  });

  it("keeps the server's message without a reason or with one it does not know", () => {
    expect(reasonText('fr', undefined, 'latitude and longitude go together')).toBe('latitude and longitude go together');
    expect(reasonText('fr', { key: 'from-a-newer-server' } as never, 'its message')).toBe('its message');
  });

  it('has a French wording for every reason the server gives', () => {
    const keys = ['required', 'datetime', 'lat_lon_pair', 'nul', 'lone_surrogate', 'forbidden_source', 'conflict', 'type', 'format', 'unknown_field', 'invalid', 'too_big', 'too_small', 'too_long', 'too_short', 'one_of',
      'not_found', 'in_past', 'closed', 'weak', 'taken', 'hours_ahead', 'time_range', 'self_crossing'];
    for (const k of keys) expect(fr).toHaveProperty(`import.reason.${k}`);
    // And says it, rather than the server's English.
    expect(reasonText('fr', { key: 'time_range', limit: 366 }, 'time: more than 366 days ahead of now')).toBe('hors de la période acceptée\u00a0: à partir de 1970, et au plus 366\u00a0jours à venir');
    expect(reasonText('en', { key: 'closed' }, 'resolved already')).toBe('already resolved or dismissed');
  });
});
