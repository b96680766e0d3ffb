import type { ItemReason } from '@vigie/rules';
import { errorText } from '../api/error-text.ts';
import type { ApiError } from '../api/http.ts';
import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import type { FeedConfig, FeedConfigInput, FeedKind } from './feeds-api.ts';

/** What the configuration form holds, as typed (every field of FeedConfigInput; a kind shows its own). */
export type ConfigForm = {
  kind: FeedKind;
  id: string;
  source: string;
  url: string;
  intervalSeconds: string;
  format: string;
  topic: string;
  enabled: boolean;
};
export type ConfigField = Exclude<keyof ConfigForm, 'enabled'> | 'enabled';

/** The server's default poll interval (seconds). */
export const DEFAULT_INTERVAL_SECONDS = 30;

export const emptyConfigForm = (kind: FeedKind): ConfigForm => ({
  kind, id: '', source: '', url: '', intervalSeconds: String(DEFAULT_INTERVAL_SECONDS), format: '', topic: '', enabled: true,
});

export const formFromConfig = (c: FeedConfig): ConfigForm => ({
  kind: c.kind,
  id: c.id,
  source: c.source,
  url: c.kind === 'gtfs-rt-poll' ? c.url : '',
  intervalSeconds: c.kind === 'gtfs-rt-poll' ? String(c.intervalSeconds) : String(DEFAULT_INTERVAL_SECONDS),
  format: c.kind === 'mqtt' ? c.format : '',
  topic: c.kind === 'mqtt' ? c.topic : '',
  enabled: c.enabled,
});

/**
 * The body to send: text trimmed; the interval as a number when it reads as one ("30", "30,0"),
 * else as typed, so that the server names the field and says why (never a silent default).
 */
export function formToInput(f: ConfigForm): FeedConfigInput {
  const base = { id: f.id.trim(), source: f.source.trim(), enabled: f.enabled };
  if (f.kind === 'mqtt') return { kind: 'mqtt', ...base, format: f.format, topic: f.topic.trim() };
  const typed = f.intervalSeconds.trim();
  const n = typed === '' ? NaN : Number(typed.replace(',', '.'));
  return { kind: 'gtfs-rt-poll', ...base, url: f.url.trim(), intervalSeconds: (Number.isFinite(n) ? n : typed) as number };
}

/** The fields a kind's form shows (what leaving would lose is judged on them only). */
export const fieldsOf = (kind: FeedKind): readonly ConfigField[] =>
  kind === 'mqtt' ? ['kind', 'id', 'source', 'format', 'topic', 'enabled'] : ['kind', 'id', 'source', 'url', 'intervalSeconds', 'enabled'];

/** Whether the form differs from what it started from (closing or leaving would lose it). */
export const configFormChanged = (a: ConfigForm, b: ConfigForm): boolean => a.kind !== b.kind || fieldsOf(a.kind).some((k) => a[k] !== b[k]);

type Issue = { field?: string; message?: string; reason?: ItemReason };

const FIELDS: readonly ConfigField[] = ['kind', 'id', 'source', 'url', 'intervalSeconds', 'format', 'topic', 'enabled'];
const isField = (f: string): f is ConfigField => (FIELDS as readonly string[]).includes(f);

/** A refused field in the console's words: the rules the server applies to ids, URLs and topics said plainly. */
function issueText(lang: Lang, i: Issue): string {
  const key = i.reason?.key;
  if (i.field === 'id' && key === 'conflict') return translate(lang, 'feeds.config.error.idTaken');
  if ((i.field === 'id' || i.field === 'source') && key === 'format') return translate(lang, 'feeds.config.error.idFormat');
  if (i.field === 'url' && key === 'format') return translate(lang, 'feeds.config.error.url');
  if (i.field === 'topic' && key === 'invalid') return translate(lang, 'feeds.config.error.topic');
  return reasonText(lang, i.reason, i.message ?? '');
}

/**
 * A refusal of the configuration: each named field's reason to show beside it, and the rest (a
 * field this form has not, another error) as one line.
 */
export function configErrors(error: ApiError, lang: Lang): { fields: Partial<Record<ConfigField, string>>; general: string | null } {
  const details = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as { issues?: unknown; field?: unknown };
  const issues: Issue[] = Array.isArray(details.issues) ? (details.issues as Issue[])
    : typeof details.field === 'string' ? [{ field: details.field, message: error.message }]
    : [];
  if (error.code !== 'VIGIE_VALIDATION' || issues.length === 0) return { fields: {}, general: errorText(lang, error) };
  const fields: Partial<Record<ConfigField, string>> = {};
  const rest: string[] = [];
  for (const i of issues) {
    const text = issueText(lang, i);
    const field = i.field ?? '';
    if (isField(field)) fields[field] ??= text;
    else rest.push(field ? translate(lang, 'error.issue', { field, reason: text }) : text);
  }
  return { fields, general: rest.length ? rest.join(' · ') : null };
}
