import { CALENDAR_KINDS, circlePerimeter, DEFAULT_RADIUS_M, MAX_EVENT_DAYS, perimeterRadius, type CalendarEvent, type CalendarKind, type ItemReason } from '@vigie/rules';
import { errorText } from '../api/error-text.ts';
import type { ApiError } from '../api/http.ts';
import { cityInputInstant, cityInputValue } from '../format/time.ts';
import { reasonText } from '../import/reason-text.ts';
import { kindLabel } from './kind-label.ts';
import { translate, type Lang, type MessageKey } from '../i18n/translate.ts';

/**
 * A major event as the form holds it: text, exactly as typed (nothing is lost when the server
 * refuses it), times as datetime-local values on the city's clock. `radius` (metres) draws the
 * perimeter around the location; empty, the kind's default.
 */
export type EventForm = {
  title: string;
  kind: CalendarKind | '';
  venue: string;
  lat: string;
  lon: string;
  radius: string;
  startsAt: string;
  endsAt: string;
  expectedAttendance: string;
  arrivalMinutes: string;
  departureMinutes: string;
};
export type FormField = keyof EventForm;

const HOUR = 3_600_000;
const ARRIVAL_DEFAULT = 120;
const DEPARTURE_DEFAULT = 60;

/** A new event: starting at the next full hour, for two hours, with the schema's default phases. */
export function emptyForm(nowMs: number, timeZone: string): EventForm {
  const start = Math.ceil(nowMs / HOUR) * HOUR;
  return {
    title: '', kind: '', venue: '', lat: '', lon: '', radius: '',
    startsAt: cityInputValue(start, timeZone), endsAt: cityInputValue(start + 2 * HOUR, timeZone),
    expectedAttendance: '', arrivalMinutes: String(ARRIVAL_DEFAULT), departureMinutes: String(DEPARTURE_DEFAULT),
  };
}

/** The form of a stored event (its perimeter's radius, its times on the city's clock). */
export function formFromEvent(e: CalendarEvent, timeZone: string): EventForm {
  return {
    title: e.title, kind: e.kind, venue: e.venue, lat: String(e.location.lat), lon: String(e.location.lon),
    radius: String(perimeterRadius(e.location, e.perimeter)),
    startsAt: cityInputValue(e.startsAt, timeZone), endsAt: cityInputValue(e.endsAt, timeZone),
    expectedAttendance: String(e.expectedAttendance), arrivalMinutes: String(e.arrivalMinutes), departureMinutes: String(e.departureMinutes),
  };
}

/** A number as typed (a French decimal comma too); the text itself when it is not one, so that the server names the problem. */
function numberOf(text: string): number | string | undefined {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : text;
}

/**
 * The instant of a time typed on the city's clock. A time shown twice (the night the clocks go
 * back) is its first occurrence, unless it is the stored event's own time unchanged: then that.
 */
function resolveTime(value: string, timeZone: string, storedIso?: string): { ms: number; clock: 'exact' | 'skipped' | 'repeated' } | null {
  const t = cityInputInstant(value, timeZone);
  if (t?.clock === 'repeated' && storedIso && cityInputValue(storedIso, timeZone) === value) return { ms: Date.parse(storedIso), clock: 'repeated' };
  return t;
}

/** `UTC+2`, `UTC+5:30`: how far the clock that shows `value` at `ms` is ahead of UTC. */
function utcOffset(value: string, ms: number): string {
  const minutes = Math.round((Date.parse(`${value.slice(0, 16)}:00Z`) - ms) / 60_000);
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(a / 60)}${a % 60 ? `:${String(a % 60).padStart(2, '0')}` : ''}`;
}

const kindOf = (k: string): CalendarKind | undefined => CALENDAR_KINDS.find((x) => x === k);

/**
 * The body of `POST` / `PUT /api/v1/calendar` for a form. Whatever is missing or wrong is sent
 * as it is (or left out) for the server to judge. An edited event keeps its perimeter as drawn
 * while its location and radius are unchanged; otherwise a circle of the radius is drawn.
 */
export function formToBody(f: EventForm, timeZone: string, original?: CalendarEvent): Record<string, unknown> {
  const lat = numberOf(f.lat), lon = numberOf(f.lon);
  const located = typeof lat === 'number' && typeof lon === 'number';
  const kind = kindOf(f.kind);
  const radius = f.radius.trim() === '' && kind ? DEFAULT_RADIUS_M[kind] : numberOf(f.radius);
  const keep = original && original.location.lat === lat && original.location.lon === lon && radius === perimeterRadius(original.location, original.perimeter);
  const time = (v: string, storedIso?: string) => {
    const t = resolveTime(v, timeZone, storedIso);
    return t ? new Date(t.ms).toISOString() : undefined;
  };
  const body: Record<string, unknown> = {
    title: f.title, kind: f.kind === '' ? undefined : f.kind, venue: f.venue,
    location: lat === undefined && lon === undefined ? undefined : { lat, lon },
    perimeter: keep ? original.perimeter : located && typeof radius === 'number' && radius > 0 ? circlePerimeter({ lat, lon }, radius) : undefined,
    startsAt: time(f.startsAt, original?.startsAt), endsAt: time(f.endsAt, original?.endsAt),
    expectedAttendance: numberOf(f.expectedAttendance), arrivalMinutes: numberOf(f.arrivalMinutes), departureMinutes: numberOf(f.departureMinutes),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** Hints before sending (the server has the last word): what is missing or cannot be right, and a time moved by a clock change. */
export type Hint = { key: MessageKey; params?: Record<string, string | number>; info?: boolean };

export function formHints(f: EventForm, timeZone: string, original?: CalendarEvent): Partial<Record<FormField, Hint>> {
  const hints: Partial<Record<FormField, Hint>> = {};
  for (const field of ['title', 'kind', 'venue', 'expectedAttendance'] as const) if (f[field].trim() === '') hints[field] = { key: 'calendar.form.required' };
  if (f.lat.trim() === '' || f.lon.trim() === '') hints.lat = { key: 'calendar.form.pickLocation' };
  for (const field of ['lat', 'lon', 'radius', 'expectedAttendance', 'arrivalMinutes', 'departureMinutes'] as const) {
    if (typeof numberOf(f[field]) === 'string') hints[field] = { key: 'calendar.form.notNumber' };
  }
  const start = resolveTime(f.startsAt, timeZone, original?.startsAt), end = resolveTime(f.endsAt, timeZone, original?.endsAt);
  for (const [field, t] of [['startsAt', start], ['endsAt', end]] as const) {
    if (!t) hints[field] = { key: 'calendar.form.required' };
    else if (t.clock !== 'exact') {
      const shown = cityInputValue(t.ms, timeZone);
      hints[field] = { key: `calendar.form.clock.${t.clock}`, params: { time: shown.slice(11), offset: utcOffset(shown, t.ms) }, info: true };
    }
  }
  if (start && end && end.ms <= start.ms) hints.endsAt = { key: 'calendar.form.endsAfterStart' };
  else if (start && end && end.ms - start.ms > MAX_EVENT_DAYS * 24 * HOUR) hints.endsAt = { key: 'calendar.form.tooLong', params: { days: MAX_EVENT_DAYS } };
  return hints;
}

/** Which field of the form shows the server's complaint about a field of the body. */
export function formFieldOf(serverField: string): FormField | undefined {
  const [head, sub] = serverField.split('.');
  switch (head) {
    case 'title': case 'kind': case 'venue': case 'startsAt': case 'endsAt': case 'expectedAttendance': case 'arrivalMinutes': case 'departureMinutes':
      return head;
    case 'location':
      return sub === 'lon' ? 'lon' : 'lat';
    case 'perimeter':
      return 'radius';
    default:
      return undefined;
  }
}

type Issue = { field?: string; message?: string; reason?: ItemReason };

/**
 * The server's refusal in the console's language, next to each field it names (the first
 * complaint per field); what names no field of the form goes to `general`.
 */
export function serverErrors(error: ApiError, lang: Lang): { fields: Partial<Record<FormField, string>>; general: string | null } {
  const issues = (error.details as { issues?: Issue[] } | undefined)?.issues;
  if (error.code !== 'VIGIE_VALIDATION' || !Array.isArray(issues) || issues.length === 0) {
    return { fields: {}, general: translate(lang, 'calendar.form.refused', { code: error.code, message: errorText(lang, error) }) };
  }
  const fields: Partial<Record<FormField, string>> = {};
  const rest: string[] = [];
  for (const i of issues) {
    const field = formFieldOf(i.field ?? '');
    // The one rule across fields (the end after the start) comes as a refusal without a reason of its own.
    // The end too far after the start comes as too_big with the most days.
    // A text field left empty (title, venue): to fill, not "at least 1 character".
    const text = i.reason?.key === 'too_short' && i.reason.limit === 1 && (i.field === 'title' || i.field === 'venue') ? translate(lang, 'calendar.form.required')
      : i.field === 'endsAt' && (!i.reason || i.reason.key === 'invalid') ? translate(lang, 'calendar.form.endsAfterStart')
      : i.field === 'endsAt' && i.reason?.key === 'too_big' ? translate(lang, 'calendar.form.tooLong', { days: i.reason.limit })
      : reasonText(lang, i.reason, i.message ?? '', kindLabel(lang));
    if (field) fields[field] ??= text;
    else rest.push(translate(lang, 'error.issue', { field: i.field ?? '', reason: text }));
  }
  return { fields, general: rest.length ? rest.join(' · ') : null };
}

/** Whether the form differs from what it started from (leaving would lose it). */
export const formChanged = (a: EventForm, b: EventForm): boolean => (Object.keys(a) as FormField[]).some((k) => a[k] !== b[k]);
