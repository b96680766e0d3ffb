import { describe, expect, it } from 'vitest';
import { icsRejectionText } from './ics-rejection.ts';

describe("why an .ics file's event was not imported", () => {
  it('is said in the console language from the property and the reason', () => {
    const kind = { index: 5, uid: 'sans-type@marseille.fr', error: { code: 'VIGIE_VALIDATION', message: 'CATEGORIES: one of match, concert, demonstration, fair (or X-VIGIE-KIND) is required', field: 'CATEGORIES', reason: { key: 'one_of' as const, values: ['match', 'concert'] } } };
    expect(icsRejectionText('fr', kind)).toMatch(/^sans-type@marseille\.fr — CATEGORIES\u00a0: .*match, concert/);
    expect(icsRejectionText('fr', kind)).not.toContain('required');
    expect(icsRejectionText('en', kind)).toMatch(/^sans-type@marseille\.fr — CATEGORIES: .*match, concert/);
  });

  it('names a place it cannot locate, and an event without UID by its rank in the file', () => {
    const geo = { index: 0, uid: null, error: { code: 'VIGIE_VALIDATION', message: 'GEO: required when…', field: 'GEO', reason: { key: 'required' as const } } };
    expect(icsRejectionText('fr', geo)).toBe('#1 — GEO\u00a0: obligatoire quand LOCATION ne nomme pas un lieu connu de la ville');
  });

  it("reads an older server's answer (error a string, field and reason beside it), and keeps its English reason when it gives no field", () => {
    expect(icsRejectionText('fr', { index: 0, uid: null, error: 'GEO: required when…', field: 'GEO', reason: { key: 'required' } })).toMatch(/^#1 — GEO\u00a0: obligatoire/);
    expect(icsRejectionText('fr', { index: 2, uid: 'u', error: 'UID: required' })).toBe('u\u00a0: UID: required');
  });
});
