import type { ItemRejection } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../../server/src/errors/catalogue.ts';
import { en } from '../i18n/en.ts';
import { fr } from '../i18n/fr.ts';
import { codeKey, deadLetterReason, errorText, itemErrorText } from './error-text.ts';
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

  it('writes a line, a column and a status as they are, not grouped as a count is', () => {
    const rule = new ApiError(400, 'VIGIE_RULE_INVALID', '', { errors: [{ line: 1234, column: 1001, field: '', message: 'bad indentation' }] });
    expect(errorText('fr', rule)).toBe(`La règle contient des erreurs${NB}: ligne 1234, colonne 1001 — bad indentation`);
    expect(errorText('en', new ApiError(1234, 'HTTP_1234', ''))).toBe('Unexpected answer from the server (HTTP 1234)');
    expect(errorText('fr', new ApiError(413, 'VIGIE_BATCH_TOO_LARGE', '', { limitBytes: 12_345 }))).toMatch(/au plus 12\u202f345\u00a0octets pour cet envoi$/);
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

  it('does not append the server’s English detail to a code it words itself (the last administrator)', () => {
    const lastAdmin = new ApiError(409, 'VIGIE_LAST_ADMIN', 'admin is the only enabled administrator: give another account the admin role first', {
      issues: [{ field: 'role', message: 'the last enabled administrator' }],
    });
    expect(errorText('fr', lastAdmin, { role: 'Rôle' })).toBe(fr['error.code.VIGIE_LAST_ADMIN']);
    expect(errorText('fr', lastAdmin)).not.toMatch(/administrator|Rôle/);
    expect(errorText('en', lastAdmin, { role: 'Role' })).toBe(en['error.code.VIGIE_LAST_ADMIN']);
    // A reason the console words is still said after such a code; one it cannot word is not.
    const worded = new ApiError(409, 'VIGIE_LAST_ADMIN', '', { issues: [{ field: 'role', message: 'x', reason: { key: 'invalid' } }, { field: 'disabled', message: 'in English' }] });
    expect(errorText('fr', worded, { role: 'Rôle' })).toBe(`${fr['error.code.VIGIE_LAST_ADMIN']}${NB}: Rôle${NB}: valeur refusée`);
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

describe('a dead letter’s reason', () => {
  const dateError: ItemRejection['error'] = { code: 'VIGIE_EVENT_INVALID', field: 'time', message: 'time: Invalid ISO datetime', reason: { key: 'datetime' } };
  const typeError: ItemRejection['error'] = { code: 'VIGIE_EVENT_INVALID', field: 'type', message: 'type: Required', reason: { key: 'required' } };

  it('says a payload refused as a whole by its code, the server’s own detail said to be the server’s', () => {
    const malformed = { code: 'VIGIE_FEED_MALFORMED', reason: 'malformed XML: unclosed tag', rejected: [] };
    expect(deadLetterReason('fr', malformed)).toEqual({ text: fr['error.code.VIGIE_FEED_MALFORMED'], detail: `Détail technique du serveur${NB}: malformed XML: unclosed tag` });
    expect(deadLetterReason('fr', { ...malformed, code: 'VIGIE_FROM_A_NEWER_SERVER' }).text).toBe('VIGIE_FROM_A_NEWER_SERVER');
  });

  it('counts the items refused, says the others were stored, and why in the console’s language (not "no event was valid")', () => {
    // 12 rows, the 3rd, 6th, 9th and 12th refused: the rows between them were stored.
    const partial = { code: 'VIGIE_EVENT_INVALID', reason: '4 item(s) refused: time: Invalid ISO datetime', rejected: [2, 5, 8].map((index) => ({ index, error: dateError })).concat([{ index: 11, error: typeError }]) };
    const fr1 = deadLetterReason('fr', partial);
    expect(fr1.text).toBe(`4 éléments refusés, les autres enregistrés — time${NB}: pas une date et heure (jj/mm/aaaa et hh:mm, ou ISO 8601) (et 1 autre motif)`);
    expect(fr1.text).not.toContain(fr['error.code.VIGIE_EVENT_INVALID']);
    expect(fr1.detail).toBe(`time${NB}: pas une date et heure (jj/mm/aaaa et hh:mm, ou ISO 8601) (×3) · type${NB}: obligatoire`);
    expect(fr1.detail).not.toMatch(/item\(s\)|Invalid/);
    const en1 = deadLetterReason('en', partial);
    expect(en1.text).toMatch(/^4 items refused, the others stored — time: not a date and time/);
  });

  it('does not claim others were stored when every item it knows of, from the first on, was refused', () => {
    const first = { code: 'VIGIE_EVENT_INVALID', reason: '1 item(s) refused: type: Required', rejected: [{ index: 0, error: typeError }] };
    expect(deadLetterReason('fr', first).text).toBe(`1 élément refusé, les éventuels autres enregistrés — type${NB}: obligatoire`);
    expect(deadLetterReason('en', first).text).toBe('1 item refused, any others stored — type: required');
    // More refused than kept (the server keeps 1000): the server's count.
    const many = { ...first, reason: '1500 item(s) refused: type: Required', rejected: Array.from({ length: 1000 }, (_, index) => ({ index, error: typeError })) };
    expect(deadLetterReason('fr', many).text).toMatch(/^1\D?500 éléments refusés, les éventuels autres/) // the count as French writes it;
  });

  it('words one item’s error: its reason, else a code that fits an item, else the server’s message (without its field twice)', () => {
    expect(itemErrorText('fr', { code: 'VIGIE_EVENT_CONFLICT', field: 'id', message: 'an event csu/1 is stored with a different body' })).toBe(`id${NB}: ${fr['error.code.VIGIE_EVENT_CONFLICT']}`);
    expect(itemErrorText('fr', { code: 'VIGIE_EVENT_INVALID', field: 'date', message: 'date: not a date' })).toBe('date: not a date');
    expect(itemErrorText('fr', { code: 'VIGIE_EVENT_INVALID', message: 'something new' })).toBe('something new');
  });
});
