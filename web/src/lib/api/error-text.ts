import type { DeadLetterSummary, ItemRejection, ItemReason, RuleReason } from '@vigie/rules';
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

/** Whether this console words an issue's reason itself (else only the server's English message says it). */
const worded = (lang: Lang, reason: ItemReason | undefined): boolean => reasonText(lang, reason, '') !== '';

/**
 * `field : reason` for each issue of a VIGIE_VALIDATION (or any error that carries issues); a
 * field named as the form labels it when `labels` does. `ownWordsOnly`: the code's own words
 * already say what went wrong, so an issue the console cannot word (the server's English only)
 * is left out rather than appended in another language, or said twice.
 */
function issuesText(lang: Lang, issues: unknown[], labels: Readonly<Record<string, string>> = {}, ownWordsOnly = false): string[] {
  return issues.flatMap((raw) => {
    const i = (raw ?? {}) as Issue;
    if (ownWordsOnly && !worded(lang, i.reason)) return [];
    const reason = reasonText(lang, i.reason, typeof i.message === 'string' ? i.message : '');
    return [typeof i.field === 'string' && i.field ? translate(lang, 'error.issue', { field: Object.hasOwn(labels, i.field) ? labels[i.field]! : i.field, reason }) : reason];
  });
}

/** Each error of a refused rule with its line and column (the rule checker's own words stay as they are). */
function ruleErrorsText(lang: Lang, errors: unknown[]): string[] {
  return errors.map((raw) => {
    const e = (raw ?? {}) as RuleIssue;
    const said = ruleErrorMessage(lang, { field: typeof e.field === 'string' ? e.field : '', message: typeof e.message === 'string' ? e.message : '', reason: e.reason });
    return typeof e.line === 'number' ? `${translate(lang, 'error.rule.at', { line: String(e.line), column: String(typeof e.column === 'number' ? e.column : 1) })} — ${said}` : said;
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
 * message only for a code this console does not know, or for the reason of a field it cannot
 * word in a refusal it can only call "data refused" (nothing better to say): never appended in
 * English to a code the console words itself.
 */
export function errorText(lang: Lang, error: unknown, labels?: Readonly<Record<string, string>>): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === NETWORK_ERROR) return translate(lang, 'error.network');
  const key = codeKey(error.code);
  if (!key) {
    return /^HTTP_\d+$/.test(error.code)
      ? translate(lang, 'error.http', { status: String(error.status) })
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
    // Only a refusal said as generally as VIGIE_VALIDATION ("data refused") needs the server's words when the console has none for a reason.
    : issuesText(lang, list(details.issues), labels, error.code !== 'VIGIE_VALIDATION');
  const base = translate(lang, key);
  return parts.length ? translate(lang, 'error.details', { error: base, details: parts.join(' · ') }) : base;
}

/** Codes an item of a feed's message is refused with whose words fit one item (VIGIE_EVENT_INVALID's speak of a whole request). */
const ITEM_CODES: ReadonlySet<string> = new Set(['VIGIE_EVENT_CONFLICT', 'VIGIE_TOKEN_FORBIDDEN']);

/**
 * One refused item's error in the console's language: its field and the reason as the console
 * words it, else its code's words when they fit one item, else the server's own message (the
 * console has nothing better).
 */
export function itemErrorText(lang: Lang, error: ItemRejection['error']): string {
  const key = ITEM_CODES.has(error.code) ? codeKey(error.code) : null;
  const why = worded(lang, error.reason) ? reasonText(lang, error.reason, '') : key ? translate(lang, key) : error.message;
  // The server's message often names the field already (`date: not a date and time`).
  if (!error.field || (why === error.message && why.startsWith(`${error.field}:`))) return why;
  return translate(lang, 'error.issue', { field: error.field, reason: why });
}

/** Most distinct reasons a dead letter's hover text lists. */
const REASONS_LISTED = 10;

/**
 * A dead letter's reason in the console's language: `text` for its row, `detail` for its hover.
 * A payload refused as a whole: its code's words (the server's English detail in the hover, said
 * to be the server's: it is a parser's, nothing the console could word). Items refused: how many,
 * and why in the console's words; the others of the message were stored. The server keeps the
 * refused items only, not how many the message held: when an item between two refused ones was
 * not refused, some surely were stored; otherwise there may have been none.
 */
export function deadLetterReason(lang: Lang, d: Pick<DeadLetterSummary, 'code' | 'reason' | 'rejected'>): { text: string; detail: string } {
  if (d.rejected.length === 0) {
    const key = codeKey(d.code);
    return { text: key ? translate(lang, key) : d.code, detail: `${translate(lang, 'feeds.dead.serverSays')} ${d.reason}` };
  }
  // The server keeps the first 1000 refused items; its reason counts them all (`1500 item(s) refused: …`).
  const counted = /^(\d+) item\(s\) refused/.exec(d.reason);
  const n = Math.max(d.rejected.length, counted ? Number(counted[1]) : 0);
  const lastIndex = Math.max(...d.rejected.map((r) => r.index));
  const partial = new Set(d.rejected.map((r) => r.index)).size < lastIndex + 1;
  const reasons = new Map<string, number>();
  for (const r of d.rejected) {
    const said = itemErrorText(lang, r.error);
    reasons.set(said, (reasons.get(said) ?? 0) + 1);
  }
  const [first] = reasons.keys();
  const shown = reasons.size > 1 ? translate(lang, 'feeds.dead.why.otherReasons', { first: first!, n: reasons.size - 1 }) : first!;
  const listed = [...reasons].slice(0, REASONS_LISTED).map(([said, times]) => (times > 1 ? translate(lang, 'feeds.dead.why.times', { reason: said, n: times }) : said));
  if (reasons.size > REASONS_LISTED) listed.push(translate(lang, 'feeds.dead.moreItems', { n: reasons.size - REASONS_LISTED }));
  return { text: translate(lang, partial ? 'feeds.dead.why.partial' : 'feeds.dead.why.items', { n, reasons: shown }), detail: listed.join(' · ') };
}
