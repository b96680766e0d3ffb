import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../../server/src/errors/catalogue.ts';
import { en } from '../i18n/en.ts';
import { fr } from '../i18n/fr.ts';
import { codeKey, errorText } from './error-text.ts';
import { ApiError, NETWORK_ERROR } from './http.ts';

const NB = '\u00a0';

describe('errorText', () => {
  it('words a refusal from its code in French, not with the server’s English message', () => {
    const gone = new ApiError(404, 'VIGIE_NOT_FOUND', 'no major event 6f1c…');
    expect(errorText('fr', gone)).toBe(`Introuvable${NB}: cet élément n’existe pas ou plus (supprimé entre-temps${NB}?)`);
    expect(errorText('fr', gone)).not.toContain('no major event');
    expect(errorText('en', gone)).toMatch(/^Not found/);
  });

  it('names each field with the reason in the console’s language, plural included', () => {
    const refused = new ApiError(400, 'VIGIE_VALIDATION', 'reason: Too small', {
      issues: [
        { field: 'reason', message: 'Too small: expected string to have >=1 characters', reason: { key: 'too_short', limit: 1 } },
        { field: 'until', message: 'Invalid ISO datetime', reason: { key: 'datetime' } },
        { field: 'value', message: 'something new' },
      ],
    });
    expect(errorText('fr', refused)).toBe(
      `Données refusées par le serveur${NB}: reason${NB}: au moins 1 caractère · until${NB}: pas une date et heure (jj/mm/aaaa et hh:mm, ou ISO 8601) · value${NB}: something new`,
    );
    expect(errorText('en', refused)).toMatch(/^Data refused by the server: reason: at least 1 character · /);
    // A form names the fields as it labels them; a field it does not label stays as the server said it.
    expect(errorText('fr', refused, { reason: 'Motif', value: 'Règle' })).toBe(
      `Données refusées par le serveur${NB}: Motif${NB}: au moins 1 caractère · until${NB}: pas une date et heure (jj/mm/aaaa et hh:mm, ou ISO 8601) · Règle${NB}: something new`,
    );
  });

  it('keeps the line and column of a refused rule inside a French frame', () => {
    const rule = new ApiError(400, 'VIGIE_RULE_INVALID', 'threshold: expected number', {
      errors: [{ line: 7, column: 14, field: 'threshold', message: 'expected number' }, { line: 2, column: 1, field: '', message: 'bad indentation' }],
    });
    expect(errorText('fr', rule)).toBe(`La règle contient des erreurs${NB}: ligne 7, colonne 14 — threshold${NB}: expected number · ligne 2, colonne 1 — bad indentation`);
  });

  it('counts the events of an .ics file refused whole', () => {
    const ics = new ApiError(400, 'VIGIE_ICS_INVALID', 'no event of the file could be imported', { rejected: [{ index: 0, uid: null, error: 'UID: required' }] });
    expect(errorText('fr', ics)).toBe(`Le fichier iCalendar (.ics) n’a pas pu être lu${NB}: l’événement du fichier est refusé`);
  });

  it('names the size limit of the request refused as too large (each route has its own)', () => {
    const csv = new ApiError(413, 'VIGIE_BATCH_TOO_LARGE', 'the body is larger than this route takes: at most 20 MiB', { limitBytes: 20 * 1024 * 1024 });
    expect(errorText('fr', csv)).toBe(`Envoi trop volumineux${NB}: un lot compte 1000 événements au plus, et chaque envoi a une taille maximale${NB}: au plus 20${NB}Mio pour cet envoi`);
    expect(errorText('en', new ApiError(413, 'VIGIE_BATCH_TOO_LARGE', '', { limitBytes: 65_536 }))).toMatch(/: at most 64 KiB for this request$/);
    expect(errorText('en', new ApiError(413, 'VIGIE_BATCH_TOO_LARGE', '', {}))).toBe('Too large for the server: a batch holds at most 1000 events, and each request has a size limit');
  });

  it('says an unreachable server and a bare HTTP status in the console’s words', () => {
    expect(errorText('fr', new ApiError(0, NETWORK_ERROR, 'Failed to fetch'))).toBe(`Serveur injoignable${NB}: vérifiez la liaison et réessayez`);
    expect(errorText('fr', new ApiError(502, 'HTTP_502', 'Bad Gateway'))).toBe('Réponse inattendue du serveur (HTTP 502)');
  });

  it('falls back to the server’s message only for a code it does not know', () => {
    expect(errorText('fr', new ApiError(418, 'VIGIE_FROM_A_NEWER_SERVER', 'its own words'))).toBe(`VIGIE_FROM_A_NEWER_SERVER${NB}: its own words`);
    expect(errorText('fr', new Error('boom'))).toBe('boom');
    expect(errorText('fr', 'plain')).toBe('plain');
  });

  it('has a French and an English wording for every code of the server’s catalogue', () => {
    const missing = Object.keys(ERRORS).filter((code) => codeKey(code) === null);
    expect(missing).toEqual([]);
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      const key = codeKey(code)!;
      expect(fr[key], code).not.toBe(en[key]);
      expect(errorText('fr', new ApiError(status, code, message)), code).toBe(fr[key]);
    }
  });
});
