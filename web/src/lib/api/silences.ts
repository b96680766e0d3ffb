import type { Http } from './http.ts';

export const SILENCE_MATCHERS = ['rule', 'zone', 'key'] as const;
export type SilenceMatcher = (typeof SILENCE_MATCHERS)[number];

/** `POST /api/v1/silences` (supervisor): until a time, or until the alert `untilAlert` closes. */
export type NewSilence = { matcher: SilenceMatcher; value: string; ruleId?: string; reason: string } & ({ until: string } | { untilAlert: string });

export type Silence = NewSilence & { id: string; createdBy: string; createdAt: string; endedAt: string | null };
/** A silence just made, with how many active alerts it held back at once. */
export type NewlyMade = Silence & { held: number };

export const createSilence = (http: Http, body: NewSilence): Promise<NewlyMade> => http.post<NewlyMade>('/api/v1/silences', body);

/** `GET /api/v1/silences` (supervisor): those in force, or all with `all`. */
export const listSilences = async (http: Http, all = false): Promise<Silence[]> =>
  (await http.get<{ silences: Silence[] }>(`/api/v1/silences${all ? '?all=1' : ''}`)).silences;

/** `DELETE /api/v1/silences/:id`: ends a silence now. */
export const endSilence = (http: Http, id: string): Promise<Silence> => http.request<Silence>('DELETE', `/api/v1/silences/${encodeURIComponent(id)}`);
