import type { ItemReason, ItemRejection } from '@vigie/rules';
import { ApiError, type FetchLike } from '../api/http.ts';

/** The canonical fields a CSV column maps to (the server's CSV_FIELDS, in its order). */
export const CSV_FIELDS = ['id', 'type', 'time', 'date', 'hour', 'lat', 'lon', 'severity', 'text', 'stop'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export type CsvMapping = Partial<Record<CsvField, string>>;

/** What the server says about one record: the event it becomes, or why it cannot. */
export type PreviewRow = { index: number; item: PreviewItem } | { index: number; field: string; message: string; reason?: ItemReason };
export type PreviewItem = {
  id: string;
  source: string;
  type: string;
  time: string;
  location?: { lat: number; lon: number };
  severity?: number;
  attributes?: Record<string, string | number | boolean>;
  text?: string;
};
export type CsvPreview = { rows: number; columns: string[]; mapping: CsvMapping; preview: PreviewRow[] };

/** One item refused by the ingest API (index within the request's records). */
export type { ItemRejection };
export type IngestAnswer = { accepted: number; duplicates: number; rejected: ItemRejection[] };

/** A source id as the server takes it. */
export const SOURCE_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** `?source=…&map.<field>=<column>` for the CSV endpoints (a field left empty is not sent: the server's default applies). */
export function csvQuery(source: string, mapping: CsvMapping): string {
  const q = new URLSearchParams({ source });
  for (const f of CSV_FIELDS) {
    const column = mapping[f];
    if (column !== undefined) q.set(`map.${f}`, column);
  }
  return q.toString();
}

/** The server's reply to one CSV request, read but not judged. */
export type CsvReply = { status: number; retryAfter: number | null; body: unknown };

/** POSTs CSV text (sent as UTF-8) with the session cookie and the CSRF token. */
export async function postCsv(fetchFn: FetchLike, path: string, body: string, csrfToken: string | null, signal?: AbortSignal): Promise<CsvReply> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'text/csv; charset=utf-8' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetchFn(path, { method: 'POST', headers, body, credentials: 'same-origin', ...(signal ? { signal } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const after = Number(response.headers.get('retry-after'));
  return { status: response.status, retryAfter: Number.isFinite(after) && after > 0 ? after : null, body: parsed };
}

/** The `{error: {code, message, details}}` of an error reply, if that is what it holds. */
export function errorOf(body: unknown): { code: string; message: string; details?: unknown } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null || typeof (e as { code?: unknown }).code !== 'string') return null;
  return e as { code: string; message: string; details?: unknown };
}

/** Whether a value looks like `{accepted, duplicates, rejected}`. */
export function isIngestAnswer(x: unknown): x is IngestAnswer {
  return typeof x === 'object' && x !== null && typeof (x as IngestAnswer).accepted === 'number' && Array.isArray((x as IngestAnswer).rejected);
}

/** `POST /api/v1/ingest/csv/preview`: how the records map, nothing stored. */
export async function previewCsv(fetchFn: FetchLike, csv: string, source: string, mapping: CsvMapping, csrfToken: string | null): Promise<CsvPreview> {
  const reply = await postCsv(fetchFn, `/api/v1/ingest/csv/preview?${csvQuery(source, mapping)}`, csv, csrfToken);
  if (reply.status === 200) return reply.body as CsvPreview;
  const e = errorOf(reply.body);
  throw new PreviewError(reply.status, e?.code ?? `HTTP_${reply.status}`, e?.message ?? `HTTP ${reply.status}`, e?.details);
}

/** A refused preview: an `ApiError` (its code words it in the console's language). */
export class PreviewError extends ApiError {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(status, code, message, details);
    this.name = 'PreviewError';
  }
}
