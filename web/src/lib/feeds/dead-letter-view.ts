import type { IngestAnswer, ItemRejection } from '../import/csv-api.ts';
import type { DeadLetterSummary, ReplayRecord, ShownPayload } from './feeds-api.ts';

/** Most characters of a text payload shown at once (a CSV export may hold 20 MiB). */
export const PAYLOAD_SHOWN_CHARS = 100_000;
/** Characters of a binary payload's base64 shown. */
export const BASE64_SHOWN_CHARS = 240;

export type PayloadView =
  | { kind: 'text'; text: string; bytes: number; cut: boolean }
  | { kind: 'binary'; bytes: number; start: string; cut: boolean }
  | { kind: 'error'; message: string };

/** Bytes of a base64 text (its padding taken off). */
export function base64Bytes(b64: string): number {
  const clean = b64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** What the detail shows of a payload: its text (cut when long), or that it is binary with its size and the start of its base64. */
export function payloadView(p: ShownPayload): PayloadView {
  if ('error' in p) return { kind: 'error', message: p.error };
  if (p.encoding === 'base64') return { kind: 'binary', bytes: base64Bytes(p.text), start: p.text.slice(0, BASE64_SHOWN_CHARS), cut: p.text.length > BASE64_SHOWN_CHARS };
  return { kind: 'text', text: p.text.slice(0, PAYLOAD_SHOWN_CHARS), bytes: new TextEncoder().encode(p.text).length, cut: p.text.length > PAYLOAD_SHOWN_CHARS };
}

/** A CSV payload's column names (its header line, split as the server does: `;` when it has more of them than `,`). */
export function csvColumns(text: string): string[] {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!header.trim()) return [];
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  const columns: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (c === '"') {
      if (quoted && header[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      columns.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  columns.push(cell.trim());
  return columns.filter((c, i) => c !== '' && columns.indexOf(c) === i);
}

/** The CSV mapping a dead letter was read with (its `map.<field>` options), by field. */
export function mappingOf(options: Record<string, string> | undefined): Record<string, string> {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(options ?? {})) if (k.startsWith('map.')) m[k.slice(4)] = v;
  return m;
}

/** The replay's `options` for a mapping: `{"map.<field>": "<column>"}`, a field left empty not sent (the server's default column applies). */
export function replayOptions(mapping: Readonly<Record<string, string>>): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [field, column] of Object.entries(mapping)) if (column.trim() !== '') options[`map.${field}`] = column.trim();
  return options;
}

export type ReplayOutcome =
  /** Stored: the figures (rejected: the items refused again). */
  | { kind: 'stored'; accepted: number; duplicates: number; rejected: ItemRejection[] }
  /** Refused as a whole (the error's code and message, its refused items when it lists them). */
  | { kind: 'refused'; status: number; code: string; message: string; details: unknown; rejected: ItemRejection[] };

const isAnswer = (b: unknown): b is IngestAnswer =>
  typeof b === 'object' && b !== null && typeof (b as IngestAnswer).accepted === 'number' && Array.isArray((b as IngestAnswer).rejected);

/** A replay's answer as recorded on its dead letter (`{status, body}`), read. */
export function replayOutcome(r: ReplayRecord): ReplayOutcome {
  if (r.status < 300 && isAnswer(r.body)) return { kind: 'stored', accepted: r.body.accepted, duplicates: r.body.duplicates ?? 0, rejected: r.body.rejected };
  const error = (r.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const details = error?.details;
  const rejected = typeof details === 'object' && details !== null && Array.isArray((details as { rejected?: unknown }).rejected) ? (details as { rejected: ItemRejection[] }).rejected : [];
  return {
    kind: 'refused',
    status: r.status,
    code: typeof error?.code === 'string' ? error.code : `HTTP_${r.status}`,
    message: typeof error?.message === 'string' ? error.message : '',
    details,
    rejected,
  };
}

/**
 * Where a dead letter stands: never replayed (`pending`), replayed with everything stored
 * (`replayed`), or replayed without (`partial`: items refused again; `failed`: refused as a
 * whole). The last two are still pending for the server.
 */
export type DeadLetterState = 'pending' | 'replayed' | 'partial' | 'failed';

export function deadLetterState(d: Pick<DeadLetterSummary, 'replayedAt' | 'replay'>): DeadLetterState {
  if (!d.replayedAt || !d.replay) return 'pending';
  const o = replayOutcome(d.replay);
  if (o.kind === 'refused') return 'failed';
  return o.rejected.length > 0 ? 'partial' : 'replayed';
}

/** Sources to offer in the dead letters' filter: the feeds' and the dead letters' own, once each, in order. */
export function sourcesToFilter(feeds: readonly { source: string }[], deadLetters: readonly { source: string | null }[], chosen: string): string[] {
  const all = new Set<string>();
  for (const f of feeds) all.add(f.source);
  for (const d of deadLetters) if (d.source) all.add(d.source);
  if (chosen.trim()) all.add(chosen.trim());
  return [...all].sort((a, b) => a.localeCompare(b));
}
