import { describe, expect, it } from 'vitest';
import { icsRejectionName, icsRejectionReason, icsRejectionText } from './ics-rejection.ts';

const PARIS = 'Europe/Paris';
const V = 'VIGIE_VALIDATION';

describe("why an .ics file's event was not imported", () => {
  it('lists the allowed kinds by the console\'s labels, not the server\'s codes', () => {
    const kind = { index: 5, uid: 'sans-type@marseille.fr', summary: 'Réunion', startsAt: '2026-12-05T09:00:00.000Z', error: { code: V, message: 'CATEGORIES: one of match, concert, demonstration, fair (or X-VIGIE-KIND) is required', field: 'CATEGORIES', reason: { key: 'one_of' as const, values: ['match', 'concert', 'demonstration', 'fair'] } } };
    expect(icsRejectionText('fr', kind, PARIS)).toBe('Réunion (05/12/2026 10:00) — CATEGORIES\u00a0: le type de l’événement, parmi\u00a0: Match, Concert, Manifestation, Foire / marché');
    expect(icsRejectionReason('en', kind).reason).toBe('the event’s kind, one of: Match, Concert, Demonstration, Fair / market');
    expect(icsRejectionText('fr', kind, PARIS)).not.toMatch(/demonstration|fair|required/);
  });

  it('says what a date of an .ics file is, not the CSV import\'s format, and the date that does not exist as written', () => {
    const feb30 = { index: 1, uid: 'noel@x', summary: 'Concert de Noël', startsAt: null, error: { code: V, message: 'DTSTART: not a real date and time: 20270230T200000', field: 'DTSTART', reason: { key: 'datetime' as const }, value: '20270230T200000' } };
    const fr = icsRejectionText('fr', feb30, PARIS);
    expect(fr).toBe('Concert de Noël — DTSTART\u00a0: 20270230T200000 n’est pas une date réelle (une date .ics s’écrit 20261130T200000, 20261130T190000Z en UTC, ou 20261130 pour un jour entier)');
    expect(fr).not.toContain('jj/mm/aaaa');
    expect(icsRejectionReason('en', feb30).reason).toMatch(/^20270230T200000 is not a real date \(an \.ics date is written 20261130T200000/);
    // A date ical.js cannot read at all (no value given): the same words on how it is written.
    expect(icsRejectionReason('fr', { ...feb30, error: { code: V, message: 'DTEND: invalid date-time value', field: 'DTEND', reason: { key: 'format' as const } } })).toEqual({ field: 'DTEND', reason: expect.stringMatching(/^pas une date \.ics \(elle s’écrit 20261130T200000/) });
  });

  it('names the event by its title and start on the city\'s clock; by its UID without a title; by its rank without either', () => {
    const geo = { index: 0, uid: 'u@x', summary: 'Marché', startsAt: '2026-07-12T19:00:00.000Z', error: { code: V, message: 'GEO: required when…', field: 'GEO', reason: { key: 'required' as const } } };
    expect(icsRejectionName('fr', geo, PARIS)).toBe('Marché (12/07/2026 21:00)');
    expect(icsRejectionName('fr', { ...geo, summary: null }, PARIS)).toBe('u@x (12/07/2026 21:00)');
    expect(icsRejectionText('fr', { ...geo, summary: null, startsAt: null, uid: null }, PARIS)).toBe('#1 — GEO\u00a0: obligatoire quand LOCATION ne nomme pas un lieu connu de la ville');
  });

  it('names the property of the file behind a field the calendar refused (an end 92 days after the start)', () => {
    const long = { index: 0, uid: 'u2', summary: 'Test', startsAt: '2026-12-01T18:00:00.000Z', error: { code: V, message: 'endsAt: must be at most 92 days after startsAt', field: 'endsAt', reason: { key: 'too_big' as const, limit: 92 } } };
    expect(icsRejectionReason('fr', long)).toEqual({ field: 'DTEND', reason: 'au plus 92 jours après le début' });
  });

  it("reads an older server's answer (error a string, field and reason beside it, no title), and keeps its English reason when it gives no field", () => {
    expect(icsRejectionText('fr', { index: 0, uid: null, error: 'GEO: required when…', field: 'GEO', reason: { key: 'required' } }, PARIS)).toMatch(/^#1 — GEO\u00a0: obligatoire/);
    expect(icsRejectionText('fr', { index: 2, uid: 'u', error: 'UID: required' }, PARIS)).toBe('u\u00a0: UID: required');
  });
});
