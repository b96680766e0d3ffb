import { describe, expect, it } from 'vitest';
import { parseSources } from '../api/accounts.ts';
import { ApiError, NETWORK_ERROR } from '../api/http.ts';
import { fr } from '../i18n/fr.ts';
import { accountErrors, passwordProblem, refusedSources, sourcesProblem, tokenErrors, usernameProblem, usernameSuggestion, USERNAME_RE } from './form-errors.ts';

const NB = '\u00a0';

describe('the username', () => {
  it('follows the server’s rule: 2 to 64 lower-case letters, digits, ".", "_" or "-", the first a letter or a digit', () => {
    for (const ok of ['j.dupont', 'op12', 'a-b_c.d', 'ab', 'a'.repeat(64)]) expect(USERNAME_RE.test(ok), ok).toBe(true);
    for (const bad of ['Jean Dupont', 'a', '.dupont', 'jean dupont', 'dupönt', 'J.Dupont', 'a'.repeat(65)]) expect(USERNAME_RE.test(bad), bad).toBe(false);
  });

  it('is checked before sending, the rule said in full, with one it takes made from what was typed', () => {
    expect(usernameProblem('j.dupont')).toBeNull();
    expect(usernameProblem('')!('fr')).toBe(`Identifiant${NB}: à renseigner.`);
    const said = usernameProblem('Jean Dupont')!('fr');
    expect(said).toContain('de 2 à 64 caractères parmi les minuscules sans accent');
    expect(said).toMatch(/Par exemple\u00a0: jean\.dupont$/);
    expect(usernameProblem('Jean Dupont')!('en')).toMatch(/^Username: 2 to 64 characters .* For example: jean\.dupont$/);
    // Nothing the rule takes comes of it: the rule alone.
    expect(usernameProblem('!')!('fr')).toBe(fr['accounts.username.format']);
  });

  it('is suggested without accents, spaces or capitals', () => {
    expect(usernameSuggestion('Élodie Martin-Brûlé')).toBe('elodie.martin-brule');
    expect(usernameSuggestion('  Jean   Dupont ')).toBe('jean.dupont');
    expect(usernameSuggestion('.x')).toBeNull();
    expect(usernameSuggestion('ok.already')).toBeNull();
  });
});

describe('the password', () => {
  it('is checked before sending as the server checks it', () => {
    expect(passwordProblem('op', 'court')!('fr')).toContain('12 caractères au moins');
    expect(passwordProblem('op', ' '.repeat(12))!('fr')).toContain('des espaces seuls');
    expect(passwordProblem('jdupont', 'xxJDupont-2026')!('fr')).toContain('l’identifiant');
    expect(passwordProblem('jdupont', 'Vieux-Port 2026 nuit')).toBeNull();
  });
});

describe('a refusal of the accounts’ API', () => {
  it('puts a wrong username format at the username, with the rule', () => {
    const e = new ApiError(400, 'VIGIE_VALIDATION', 'username: bad', { issues: [{ field: 'username', message: '2 to 64 lower-case letters…', reason: { key: 'format' } }] });
    const out = accountErrors(e);
    expect(out.general).toBeNull();
    expect(out.fields.username!('fr')).toBe(fr['accounts.username.format']);
  });

  it('puts each field’s reason at its field, named as the form labels it, and what concerns no field apart', () => {
    const e = new ApiError(400, 'VIGIE_VALIDATION', '', {
      issues: [
        { field: 'displayName', message: 'Too big', reason: { key: 'too_long', limit: 100 } },
        { field: 'password', message: 'must not contain the username', reason: { key: 'weak' } },
        { field: 'extra', message: 'Unrecognized key', reason: { key: 'unknown_field' } },
      ],
    });
    const out = accountErrors(e);
    expect(out.fields.displayName!('fr')).toBe(`Nom affiché${NB}: au plus 100 caractères`);
    expect(out.fields.password!('en')).toBe('Password: too easy to guess (blank, or holds the username)');
    expect(out.general!('fr')).toBe(`Données refusées par le serveur${NB}: extra${NB}: champ inconnu`);
  });

  it('puts a taken username at the username, and the last administrator at the role or the disable button, in French only', () => {
    expect(accountErrors(new ApiError(409, 'VIGIE_ACCOUNT_EXISTS', 'an account x exists', { issues: [{ field: 'username', message: 'taken', reason: { key: 'taken' } }] })).fields.username!('fr')).toBe(fr['error.code.VIGIE_ACCOUNT_EXISTS']);
    const last = (field: string) => new ApiError(409, 'VIGIE_LAST_ADMIN', 'admin is the only enabled administrator', { issues: [{ field, message: 'the last enabled administrator' }] });
    const role = accountErrors(last('role'));
    expect(role.fields.role!('fr')).toBe(fr['error.code.VIGIE_LAST_ADMIN']);
    expect(role.general).toBeNull();
    expect(accountErrors(last('disabled')).fields.disabled!('fr')).toBe(fr['error.code.VIGIE_LAST_ADMIN']);
  });

  it('says what concerns no field apart (the server unreachable)', () => {
    const out = accountErrors(new ApiError(0, NETWORK_ERROR, 'Failed to fetch'));
    expect(out.fields).toEqual({});
    expect(out.general!('fr')).toMatch(/^Serveur injoignable/);
  });
});

describe('a feed token’s sources', () => {
  it('are checked before sending: the values refused named, with the rule, not their positions', () => {
    const sent = parseSources('csu, Bad Source!');
    expect(refusedSources(sent)).toEqual(['Bad', 'Source!']);
    expect(refusedSources(parseSources('csu rtm-vp'))).toEqual([]);
    expect(refusedSources(null)).toEqual([]);
    const said = sourcesProblem(['Bad', 'Source!'])('fr');
    expect(said).toMatch(/^Sources refusées\u00a0: «\u00a0Bad\u00a0», «\u00a0Source!\u00a0»\. Une source s’écrit en minuscules/);
    expect(said).not.toMatch(/sources\.\d/);
    expect(sourcesProblem(['X'])('en')).toMatch(/^Source refused: “X”\. A source is written/);
  });

  it('refused by the server are named by what was sent at the positions it gives', () => {
    const e = new ApiError(400, 'VIGIE_VALIDATION', 'sources.1: bad', {
      issues: [{ field: 'sources.1', message: 'lower-case…', reason: { key: 'format' } }, { field: 'sources.2', message: 'lower-case…', reason: { key: 'format' } }],
    });
    const out = tokenErrors(e, ['csu', 'Bad', 'Source!']);
    expect(out.general).toBeNull();
    expect(out.fields.sources!('fr')).toContain(`«${NB}Bad${NB}», «${NB}Source!${NB}»`);
  });

  it('a wall screen’s name taken is said at the name; the rest apart', () => {
    expect(tokenErrors(new ApiError(409, 'VIGIE_TOKEN_NAME_TAKEN', 'taken'), null).fields.name!('fr')).toBe(fr['error.code.VIGIE_TOKEN_NAME_TAKEN']);
    const name = tokenErrors(new ApiError(400, 'VIGIE_VALIDATION', '', { issues: [{ field: 'name', message: 'Too big', reason: { key: 'too_long', limit: 100 } }] }), null);
    expect(name.fields.name!('fr')).toBe(`Nom${NB}: au plus 100 caractères`);
    expect(tokenErrors(new ApiError(502, 'HTTP_502', 'Bad Gateway'), null).general!('fr')).toBe('Réponse inattendue du serveur (HTTP 502)');
  });
});
