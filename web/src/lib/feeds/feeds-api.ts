import type { DeadLetterSummary, FeedConfig, FeedConfigInput, FeedHealth, ReplayRecord } from '@vigie/rules';
import type { Http } from '../api/http.ts';
import type { IngestAnswer } from '../import/csv-api.ts';

export type { FeedConfig, FeedConfigInput };
export type FeedKind = FeedConfigInput['kind'];
export const FEED_KINDS: readonly FeedKind[] = ['gtfs-rt-poll', 'mqtt'];

/** `GET /api/v1/feeds`: every feed's health; to admins, the configurations and the formats an MQTT mapping may name. */
export type FeedsAnswer = { feeds: FeedHealth[]; configs?: FeedConfig[]; formats?: string[] };

export type { DeadLetterSummary, ReplayRecord };

/** The payload as the server shows it: text when it is (XML, JSON, CSV), else base64; or why it could not be unsealed. */
export type ShownPayload = { encoding: 'utf8' | 'base64'; text: string } | { error: string };

export type DeadLetter = DeadLetterSummary & { payload: ShownPayload; options?: Record<string, string> };

export type GtfsStaticResult = { stops: number; routes: number; shapes: number; rejected: { file: string; line: number; message: string }[] };

export const fetchFeeds = (http: Http): Promise<FeedsAnswer> => http.get<FeedsAnswer>('/api/v1/feeds');

/** `POST /api/v1/feeds` (admin): a new configuration. */
export const createFeedConfig = (http: Http, input: FeedConfigInput): Promise<FeedConfig> => http.post<FeedConfig>('/api/v1/feeds', input);

/** `PUT /api/v1/feeds/:id` (admin): the configuration replaced (its id is the path's). */
export function updateFeedConfig(http: Http, id: string, input: FeedConfigInput): Promise<FeedConfig> {
  const { id: _id, ...body } = input;
  return http.request<FeedConfig>('PUT', `/api/v1/feeds/${encodeURIComponent(id)}`, body);
}

export type DeadLetterFilter = { source?: string; pending: boolean; limit?: number };

/** `?source=…&pending=1&limit=…`: a source left empty is every source. */
export function deadLettersQuery(f: DeadLetterFilter): string {
  const q = new URLSearchParams();
  const source = f.source?.trim();
  if (source) q.set('source', source);
  if (f.pending) q.set('pending', '1');
  if (f.limit !== undefined) q.set('limit', String(f.limit));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** `GET /api/v1/feeds/dead-letters` (admin), newest first. */
export const listDeadLetters = async (http: Http, f: DeadLetterFilter): Promise<DeadLetterSummary[]> =>
  (await http.get<{ deadLetters: DeadLetterSummary[] }>(`/api/v1/feeds/dead-letters${deadLettersQuery(f)}`)).deadLetters;

export const getDeadLetter = (http: Http, id: number): Promise<DeadLetter> => http.get<DeadLetter>(`/api/v1/feeds/dead-letters/${id}`);

/** `POST /api/v1/feeds/dead-letters/:id/replay` (admin), with corrected options (a CSV mapping) or the dead letter's own. */
export const replayDeadLetter = (http: Http, id: number, options?: Record<string, string>): Promise<IngestAnswer> =>
  http.post<IngestAnswer>(`/api/v1/feeds/dead-letters/${id}/replay`, options ? { options } : {});

/** `POST /api/v1/feeds/gtfs-static?source=` (admin): a GTFS static zip. */
export const uploadGtfsStatic = (http: Http, source: string, zip: Blob): Promise<GtfsStaticResult> =>
  http.upload<GtfsStaticResult>(`/api/v1/feeds/gtfs-static?${new URLSearchParams({ source: source.trim() })}`, zip, 'application/zip');
