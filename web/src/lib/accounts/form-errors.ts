import type { ItemReason } from '@vigie/rules';
import { MIN_PASSWORD } from '../api/accounts.ts';
import { errorText } from '../api/error-text.ts';
import { ApiError } from '../api/http.ts';
import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang, type MessageKey, type Params } from '../i18n/translate.ts';

/**
 * The accounts page's errors, each for the field it is about: what the browser checks before
 * sending (the server's own rules, said in full), and the server's refusals put back at their
 * fields. Each is said in the console's language of the moment (a switch of language says it again).
 */
export type Said = (lang: Lang) => string;
export type FieldErrors<F extends string> = { fields: Partial<Record<F, Said>>; general: Said | null };

const say = (key: MessageKey, params?: Params): Said => (lang) => translate(lang, key, params);

/** The server's rule for a username (`Username` in server/src/http/accounts-routes.ts): 2 to 64 characters. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** The server's rule for a source name (`Source` in server/src/http/tokens-routes.ts, an event's `source`). */
export const SOURCE_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** A username the rule takes, made from what was typed (`Jean Dupont` → `jean.dupont`), or null when none comes of it. */
export function usernameSuggestion(typed: string): string | null {
  const s = typed.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim()
    .replace(/\s+/g, '.').replace(/[^a-z0-9._-]/g, '').replace(/^[._-]+/, '').slice(0, 64);
  return USERNAME_RE.test(s) && s !== typed ? s : null;
}

/** What is wrong with a username before it is sent (the rule said in full, with a username it takes when one comes of what was typed). */
export function usernameProblem(username: string): Said | null {
  if (!username) return say('accounts.username.required');
  if (USERNAME_RE.test(username)) return null;
  const suggestion = usernameSuggestion(username);
  return suggestion ? say('accounts.username.formatSuggest', { username: suggestion }) : say('accounts.username.format');
}

/** What is wrong with a password before it is sent (the server refuses the same, this says it before the round trip). */
export function passwordProblem(username: string, password: string): Said | null {
  if (password.length < MIN_PASSWORD) return say('accounts.password.short', { n: MIN_PASSWORD });
  if (password.trim() === '') return say('accounts.password.blank');
  if (username && password.toLowerCase().includes(username.toLowerCase())) return say('accounts.password.holdsName');
  return null;
}

/** The new account form's fields; `disabled` is a row's enable/disable button. */
export type AccountField = 'username' | 'displayName' | 'role' | 'password' | 'disabled';
const ACCOUNT_FIELDS: readonly string[] = ['username', 'displayName', 'role', 'password', 'disabled'];
const accountLabels = (lang: Lang): Record<string, string> => ({
  username: translate(lang, 'accounts.username'), displayName: translate(lang, 'accounts.displayName'),
  role: translate(lang, 'accounts.role'), password: translate(lang, 'accounts.password'),
});

type Issue = { field?: unknown; message?: unknown; reason?: ItemReason };
const issuesOf = (e: ApiError): Issue[] => {
  const d = (typeof e.details === 'object' && e.details !== null ? e.details : {}) as { issues?: unknown };
  return Array.isArray(d.issues) ? (d.issues as unknown[]).map((i) => (i ?? {}) as Issue) : [];
};
/** `Field : reason` in the console's words (the server's English only for a reason it cannot word). */
const issueSaid = (i: Issue, labels: (lang: Lang) => Record<string, string>): Said => (lang) =>
  translate(lang, 'error.issue', { field: labels(lang)[String(i.field)] ?? String(i.field), reason: reasonText(lang, i.reason, typeof i.message === 'string' ? i.message : '') });

/**
 * A refusal of the accounts' API at its fields: a username taken or in a wrong format at the
 * username, the last administrator at the role (or the disable button), each field's reason at
 * the field; what concerns no field (the server unreachable, a field the form does not have) in `general`.
 */
export function accountErrors(error: unknown): FieldErrors<AccountField> {
  const whole: Said = (lang) => errorText(lang, error, accountLabels(lang));
  if (!(error instanceof ApiError)) return { fields: {}, general: whole };
  const issues = issuesOf(error);
  if (error.code === 'VIGIE_ACCOUNT_EXISTS') return { fields: { username: whole }, general: null };
  if (error.code === 'VIGIE_LAST_ADMIN') return { fields: { [issues[0]?.field === 'disabled' ? 'disabled' : 'role']: whole }, general: null };
  if (error.code !== 'VIGIE_VALIDATION') return { fields: {}, general: whole };
  const fields: Partial<Record<AccountField, Said>> = {};
  const rest: Issue[] = [];
  for (const i of issues) {
    const field = String(i.field ?? '');
    if (!ACCOUNT_FIELDS.includes(field)) rest.push(i);
    else fields[field as AccountField] ??= field === 'username' && i.reason?.key === 'format' ? say('accounts.username.format') : issueSaid(i, accountLabels);
  }
  if (Object.keys(fields).length === 0) return { fields, general: whole };
  return { fields, general: rest.length ? (lang) => translate(lang, 'error.details', { error: translate(lang, 'error.code.VIGIE_VALIDATION'), details: rest.map((i) => issueSaid(i, accountLabels)(lang)).join(' · ') }) : null };
}

/** The names of a feed token's sources that the server's rule refuses, as they were typed (split as `parseSources` splits them). */
export function refusedSources(names: readonly string[] | null): string[] {
  return (names ?? []).filter((s) => !SOURCE_RE.test(s));
}

/** The sources refused, named, with the rule they break. */
export const sourcesProblem = (refused: readonly string[]): Said => (lang) =>
  translate(lang, 'tokens.sources.refused', { n: refused.length, values: refused.map((s) => translate(lang, 'tokens.sources.quoted', { value: s })).join(', ') });

export type TokenField = 'name' | 'sources';
const tokenLabels = (lang: Lang): Record<string, string> => ({ name: translate(lang, 'tokens.name'), sources: translate(lang, 'tokens.sources') });

/**
 * A refusal of the tokens' API at its fields: a wall screen's name taken at the name; sources
 * refused by position (`sources.1`) named by what was `sent` at that position, with their rule.
 */
export function tokenErrors(error: unknown, sent: readonly string[] | null): FieldErrors<TokenField> {
  const whole: Said = (lang) => errorText(lang, error, tokenLabels(lang));
  if (!(error instanceof ApiError)) return { fields: {}, general: whole };
  if (error.code === 'VIGIE_TOKEN_NAME_TAKEN') return { fields: { name: whole }, general: null };
  if (error.code !== 'VIGIE_VALIDATION') return { fields: {}, general: whole };
  const fields: Partial<Record<TokenField, Said>> = {};
  const refused: string[] = [];
  let other = false;
  for (const i of issuesOf(error)) {
    const field = String(i.field ?? '');
    const at = /^sources\.(\d+)$/.exec(field);
    const value = at ? sent?.[Number(at[1])] : undefined;
    if (value !== undefined) refused.push(value);
    else if (field === 'name' || field === 'sources') fields[field] ??= issueSaid(i, tokenLabels);
    else other = true;
  }
  if (refused.length) fields.sources = sourcesProblem(refused);
  return { fields, general: other || Object.keys(fields).length === 0 ? whole : null };
}
