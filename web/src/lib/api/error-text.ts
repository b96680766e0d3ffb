import type { ItemReason, RuleReason } from '@vigie/rules';
import { ruleErrorMessage } from '../rules/rule-error-text.ts';
import { reasonText } from '../import/reason-text.ts';
import { fr } from '../i18n/fr.ts';
import { translate, type Lang, type MessageKey } from '../i18n/translate.ts';
import { ApiError, NETWORK_ERROR } from './http.ts';

type Issue = { field?: unknown; message?: unknown; reason?: ItemReason };
type RuleIssue = { line?: unknown; column?: unknown; field?: unknown; message?: unknown; reason?: RuleReason };

/** The message key wording a server error code, when this console knows the code. */
export function codeKey(code: string): MessageKey | null {
  const key = `error.code.${code}`;
  return Object.hasOwn(fr, key) ? (key as MessageKey) : null;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const detailsOf = (error: ApiError): Record<string, unknown> =>
  typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};

/** `field : reason` for each issue of a VIGIE_VALIDATION (or any error that carries issues); a field named as the form labels it when `labels` does. */
function issuesText(lang: Lang, issues: unknown[], labels: Readonly<Record<string, string>> = {}): string[] {
  return issues.map((raw) => {
    const i = (raw ?? {}) as Issue;
    const reason = reasonText(lang, i.reason, typeof i.message === 'string' ? i.message : '');
    return typeof i.field === 'string' && i.field ? translate(lang, 'error.issue', { field: Object.hasOwn(labels, i.field) ? labels[i.field]! : i.field, reason }) : reason;
  });
}

/** Each error of a refused rule with its line and column (the rule checker's own words stay as they are). */
function ruleErrorsText(lang: Lang, errors: unknown[]): string[] {
  return errors.map((raw) => {
    const e = (raw ?? {}) as RuleIssue;
    const said = ruleErrorMessage(lang, { field: typeof e.field === 'string' ? e.field : '', message: typeof e.message === 'string' ? e.message : '', reason: e.reason });
    return typeof e.line === 'number' ? `${translate(lang, 'error.rule.at', { line: e.line, column: typeof e.column === 'number' ? e.column : 1 })} — ${said}` : said;
  });
}

/** A size limit in the console's language: `20 Mio`, `64 KiB`, else in bytes. */
function sizeText(lang: Lang, bytes: number): string {
  const [unit, key] = bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? [1024 * 1024, 'error.size.mib' as const]
    : bytes >= 1024 && bytes % 1024 === 0 ? [1024, 'error.size.kib' as const] : [1, 'error.size.bytes' as const];
  return translate(lang, key, { n: bytes / unit });
}

/**
 * A failed call in the console's language, worded from the server's error code (and its
 * details: the fields and reasons of a refusal, the lines of a refused rule); the server's own
 * message only for a code this console does not know.
 */
export function errorText(lang: Lang, error: unknown, labels?: Readonly<Record<string, string>>): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === NETWORK_ERROR) return translate(lang, 'error.network');
  const key = codeKey(error.code);
  if (!key) {
    return /^HTTP_\d+$/.test(error.code)
      ? translate(lang, 'error.http', { status: error.status })
      : translate(lang, 'error.unknown', { code: error.code, message: error.message });
  }
  const details = detailsOf(error);
  const parts =
    error.code === 'VIGIE_RULE_INVALID' ? ruleErrorsText(lang, list(details.errors))
    : error.code === 'VIGIE_ICS_INVALID' && Array.isArray(details.rejected) && details.rejected.length ? [translate(lang, 'error.ics.rejected', { n: details.rejected.length })]
    // Each route has its own body limit (a sign-in 16 KiB, a CSV export 20 MiB): the server names it.
    : error.code === 'VIGIE_BATCH_TOO_LARGE' && typeof details.limitBytes === 'number' ? [translate(lang, 'error.too-large.limit', { size: sizeText(lang, details.limitBytes) })]
    // A taken name: the code's own words say it all ("an account has this username"), not again as "username: taken".
    : error.code === 'VIGIE_ACCOUNT_EXISTS' ? []
    : issuesText(lang, list(details.issues), labels);
  const base = translate(lang, key);
  return parts.length ? translate(lang, 'error.details', { error: base, details: parts.join(' · ') }) : base;
}
