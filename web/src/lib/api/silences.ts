import type { Http } from './http.ts';

export const SILENCE_MATCHERS = ['rule', 'zone', 'key'] as const;
export type SilenceMatcher = (typeof SILENCE_MATCHERS)[number];

/** `POST /api/v1/silences` (supervisor): until a time, or until the alert `untilAlert` closes. */
export type NewSilence = { matcher: SilenceMatcher; value: string; ruleId?: string; reason: string } & ({ until: string } | { untilAlert: string });

export type Silence = NewSilence & { id: string; createdBy: string; createdAt: string; endedAt: string | null };

export const createSilence = (http: Http, body: NewSilence): Promise<Silence> => http.post<Silence>('/api/v1/silences', body);
