import type { BriefingReport, CalendarEventView, CalendarEventWithPhase, ItemReason, ItemRejection } from '@vigie/rules';
import { ApiError, type Http } from '../api/http.ts';

/** The most pages of the calendar one listing asks for (500 events each, the server's default). */
export const CALENDAR_MAX_PAGES = 10;

/** The calendar as listed: `truncated` when more events were left on the server than the pages fetched. */
export type CalendarList = { events: CalendarEventWithPhase[]; truncated: boolean };

/**
 * Every major event of the server's default window, page after page (`nextCursor`), up to
 * `maxPages` pages: past that the list says it is truncated rather than end silently.
 */
export async function listCalendar(http: Http, maxPages = CALENDAR_MAX_PAGES): Promise<CalendarList> {
  const events: CalendarEventWithPhase[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const r: { events: CalendarEventWithPhase[]; nextCursor?: string | null } =
      await http.get(`/api/v1/calendar${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    events.push(...r.events);
    cursor = r.nextCursor ?? null; // a server without pages gives none
    if (!cursor) return { events, truncated: false };
  }
  return { events, truncated: true };
}

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

/** Deletes a major event; with `ifUpdatedAt` (the version shown), 409 VIGIE_CALENDAR_CONFLICT (the event as it is now in `details.current`) when it changed since. */
export const deleteCalendarEvent = (http: Http, id: string, ifUpdatedAt?: string): Promise<void> =>
  http.request('DELETE', at(id), undefined, ifUpdatedAt ? { 'If-Match': `"${ifUpdatedAt}"` } : {});

export const calendarEventView = (http: Http, id: string): Promise<CalendarEventView> =>
  http.get(`/api/v1/calendar/${encodeURIComponent(id)}/view`);

export const calendarBriefing = (http: Http, id: string): Promise<BriefingReport> =>
  http.get(`/api/v1/calendar/${encodeURIComponent(id)}/briefing`);

/**
 * A VEVENT the server did not import, as every refused item: `error.field` and `error.reason`
 * to say why in the console's language (`error.value`: a time that does not exist, as written).
 * `summary` and `startsAt` name it as its users know it (older servers give neither). Older
 * servers gave `error` as an English string, with `field` and `reason` beside it.
 */
export type IcsRejection = {
  index: number; uid: string | null; summary?: string | null; startsAt?: string | null;
  error: (ItemRejection['error'] & { value?: string }) | string; field?: string; reason?: ItemReason;
};
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
