import type { BriefingReport, CalendarEventView, CalendarEventWithPhase, ItemReason } from '@vigie/rules';
import { ApiError, type Http } from '../api/http.ts';

export const listCalendar = async (http: Http): Promise<CalendarEventWithPhase[]> =>
  (await http.get<{ events: CalendarEventWithPhase[] }>('/api/v1/calendar')).events;

const at = (id: string) => `/api/v1/calendar/${encodeURIComponent(id)}`;

export const calendarEvent = (http: Http, id: string): Promise<CalendarEventWithPhase> => http.get(at(id));

/** A new event (the body as the server's `CalendarEventInput` takes it). */
export const createCalendarEvent = (http: Http, body: unknown): Promise<CalendarEventWithPhase> => http.post('/api/v1/calendar', body);

/**
 * Replaces event `id`; with `ifUpdatedAt` (the version the form loaded) the server refuses with
 * 409 `VIGIE_CALENDAR_CONFLICT` (the event as it is now in `details.current`) when it changed since.
 */
export const replaceCalendarEvent = (http: Http, id: string, body: unknown, ifUpdatedAt?: string): Promise<CalendarEventWithPhase> =>
  http.request('PUT', at(id), body, ifUpdatedAt ? { 'If-Match': `"${ifUpdatedAt}"` } : {});

export const deleteCalendarEvent = (http: Http, id: string): Promise<void> => http.request('DELETE', at(id));

export const calendarEventView = (http: Http, id: string): Promise<CalendarEventView> =>
  http.get(`/api/v1/calendar/${encodeURIComponent(id)}/view`);

export const calendarBriefing = (http: Http, id: string): Promise<BriefingReport> =>
  http.get(`/api/v1/calendar/${encodeURIComponent(id)}/briefing`);

/** A VEVENT the server did not import: `field` and `reason` to say why in the console's language (older servers: `error` only, in English). */
export type IcsRejection = { index: number; uid: string | null; error: string; field?: string; reason?: ItemReason };
export type ImportResult = { imported: number; updated: number; rejected: IcsRejection[] };

/** Sends an .ics file as it is (text/calendar), with the session's CSRF token. */
export async function importIcs(http: Http, text: string, fetchFn: typeof fetch = fetch): Promise<ImportResult> {
  const res = await fetchFn('/api/v1/calendar/import', {
    method: 'POST', credentials: 'same-origin', body: text,
    headers: { 'Content-Type': 'text/calendar', Accept: 'application/json', ...(http.csrfToken ? { 'X-CSRF-Token': http.csrfToken } : {}) },
  });
  const body = (await res.json().catch(() => null)) as ImportResult & { error?: { code: string; message: string; details?: unknown } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details);
  return body!;
}
