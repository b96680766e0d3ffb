import { CALENDAR_KINDS, CalendarEventInput, circlePerimeter, DEFAULT_RADIUS_M, MAX_EVENT_DAYS, perimeterRadius, type CalendarEvent, type CalendarKind, type ItemReason } from '@vigie/rules';
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

/**
 * A number as typed: spaces between the digits (`3 000`), a French decimal comma (`43,29`),
 * a typographic minus; a whole number (`whole`) is digits only, so that `3,000` or `3.5` is no
 * count of people. The text itself when it is not one (never a number it was not meant to be).
 */
function numberOf(text: string, whole = false): number | string | undefined {
  const t = text.trim().replace(/\s/g, '').replace(/^[\u2212\u2013]/, '-');
  if (t === '') return undefined;
  const shape = whole ? /^\+?\d+$/ : /^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;
  return shape.test(t) ? Number(t.replace(',', '.')) : text;
}

const numberShape = CalendarEventInput.shape;
/** The greatest perimeter radius the form takes (metres): a perimeter wider than a city is a slip of the keyboard. */
export const MAX_RADIUS_M = 20_000;

/**
 * What each number of the form must be, as the calendar's schema bounds it (the radius: more
 * than 0, at most MAX_RADIUS_M), and the words that say it under the field.
 */
const NUMBER_FIELDS = {
  lat: { min: numberShape.location.shape.lat.minValue ?? -90, max: numberShape.location.shape.lat.maxValue ?? 90, whole: false, aboveMin: false, key: 'calendar.form.expect.lat' },
  lon: { min: numberShape.location.shape.lon.minValue ?? -180, max: numberShape.location.shape.lon.maxValue ?? 180, whole: false, aboveMin: false, key: 'calendar.form.expect.lon' },
  radius: { min: 0, max: MAX_RADIUS_M, whole: false, aboveMin: true, key: 'calendar.form.expect.radius' },
  expectedAttendance: { min: numberShape.expectedAttendance.minValue ?? 0, max: numberShape.expectedAttendance.maxValue ?? 10_000_000, whole: true, aboveMin: false, key: 'calendar.form.expect.attendance' },
  arrivalMinutes: { min: numberShape.arrivalMinutes.unwrap().minValue ?? 0, max: numberShape.arrivalMinutes.unwrap().maxValue ?? 1440, whole: true, aboveMin: false, key: 'calendar.form.expect.minutes' },
  departureMinutes: { min: numberShape.departureMinutes.unwrap().minValue ?? 0, max: numberShape.departureMinutes.unwrap().maxValue ?? 1440, whole: true, aboveMin: false, key: 'calendar.form.expect.minutes' },
} as const satisfies Partial<Record<FormField, { min: number; max: number; whole: boolean; aboveMin: boolean; key: MessageKey }>>;
type NumberField = keyof typeof NUMBER_FIELDS;
const isNumberField = (f: string): f is NumberField => Object.hasOwn(NUMBER_FIELDS, f);

/** What a number field must hold, as a hint: `un nombre entier de personnes, de 0 à 10 000 000`. */
const expected = (field: NumberField): Hint => ({ key: NUMBER_FIELDS[field].key, params: { min: NUMBER_FIELDS[field].min, max: NUMBER_FIELDS[field].max } });

/** The value of a number field when it is one the form takes; undefined when empty; null when it is not. */
function validNumber(f: EventForm, field: NumberField): number | null | undefined {
  const rule = NUMBER_FIELDS[field];
  const n = numberOf(f[field], rule.whole);
  if (n === undefined || typeof n === 'string') return n === undefined ? undefined : null;
  return n >= rule.min && n <= rule.max && !(rule.aboveMin && n === rule.min) ? n : null;
}

/** The venue's position as typed, when both coordinates are ones the form takes; null otherwise. */
export function formLocation(f: EventForm): { lat: number; lon: number } | null {
  const lat = validNumber(f, 'lat'), lon = validNumber(f, 'lon');
  return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;
}

/** A stored event's radius as the form shows it (its perimeter's farthest point, whole metres). */
const storedRadius = (original: CalendarEvent): string => String(perimeterRadius(original.location, original.perimeter));

/**
 * The radius the perimeter is drawn with: the one typed when the form takes it (or the stored
 * event's own, unchanged, whatever it is), the kind's default when it is empty; null otherwise.
 */
export function formRadius(f: EventForm, original?: CalendarEvent): number | null {
  if (original && f.radius === storedRadius(original)) return Number(f.radius);
  const r = validNumber(f, 'radius');
  const kind = kindOf(f.kind);
  return r === undefined ? (kind ? DEFAULT_RADIUS_M[kind] : null) : r;
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

function kindOf(k: string): CalendarKind | undefined {
  return CALENDAR_KINDS.find((x) => x === k);
}

/**
 * The body of `POST` / `PUT /api/v1/calendar` for a form, to send once `formHints` finds no
 * problem (the form checks it before sending). Whatever is still missing or wrong is sent as
 * it is (or left out) for the server to judge. An edited event keeps its perimeter as drawn
 * while its location and radius are unchanged; otherwise a circle of the radius is drawn.
 */
export function formToBody(f: EventForm, timeZone: string, original?: CalendarEvent): Record<string, unknown> {
  const lat = numberOf(f.lat), lon = numberOf(f.lon);
  const located = typeof lat === 'number' && typeof lon === 'number';
  const radius = formRadius(f, original);
  const keep = original && original.location.lat === lat && original.location.lon === lon && radius === perimeterRadius(original.location, original.perimeter);
  const time = (v: string, storedIso?: string) => {
    const t = resolveTime(v, timeZone, storedIso);
    return t ? new Date(t.ms).toISOString() : undefined;
  };
  const body: Record<string, unknown> = {
    title: f.title, kind: f.kind === '' ? undefined : f.kind, venue: f.venue,
    location: lat === undefined && lon === undefined ? undefined : { lat, lon },
    perimeter: keep ? original.perimeter : located && radius !== null ? circlePerimeter({ lat, lon }, radius) : undefined,
    startsAt: time(f.startsAt, original?.startsAt), endsAt: time(f.endsAt, original?.endsAt),
    expectedAttendance: numberOf(f.expectedAttendance, true), arrivalMinutes: numberOf(f.arrivalMinutes, true), departureMinutes: numberOf(f.departureMinutes, true),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/**
 * What the form says under a field before sending (the server has the last word): what is
 * missing or cannot be right, saying what the field takes; `info`, a time moved by a clock
 * change (said, not a problem). A form with any other hint is not sent.
 */
export type Hint = { key: MessageKey; params?: Record<string, string | number>; info?: boolean };

/** A hint in `lang`, its figures written as the language writes them (`10 000 000`, `10,000,000`: `translate` does). */
export const hintText = (lang: Lang, hint: Hint): string => translate(lang, hint.key, hint.params);

/** Whether hints hold a problem (not only a clock change said): then the form is not sent. */
export const blocking = (hints: Partial<Record<FormField, Hint>>): FormField[] =>
  (Object.keys(hints) as FormField[]).filter((k) => hints[k] && !hints[k].info);

export function formHints(f: EventForm, timeZone: string, original?: CalendarEvent): Partial<Record<FormField, Hint>> {
  const hints: Partial<Record<FormField, Hint>> = {};
  for (const field of ['title', 'kind', 'venue'] as const) if (f[field].trim() === '') hints[field] = { key: 'calendar.form.required' };
  const unplaced = f.lat.trim() === '' && f.lon.trim() === '';
  // An empty radius is the kind's; every other number is needed (an emptied phase would quietly become the default).
  // A stored event's own radius, unchanged, is its perimeter as drawn (an imported one may be wider than the form takes).
  for (const field of Object.keys(NUMBER_FIELDS) as NumberField[]) {
    if (field === 'radius' && original && f.radius === storedRadius(original)) continue;
    const n = validNumber(f, field);
    if (n === null || (n === undefined && field !== 'radius')) hints[field] = expected(field);
  }
  if (unplaced) {
    hints.lat = { key: 'calendar.form.pickLocation' };
    delete hints.lon;
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
    // A number out of its bounds, of the wrong type or missing: what the field takes, as the form says it before sending.
    const text = i.reason?.key === 'too_short' && i.reason.limit === 1 && (i.field === 'title' || i.field === 'venue') ? translate(lang, 'calendar.form.required')
      : i.field === 'location' && i.reason?.key === 'required' ? translate(lang, 'calendar.form.pickLocation')
      : field && field !== 'radius' && isNumberField(field) && i.reason && ['too_big', 'too_small', 'type', 'required', 'format', 'invalid'].includes(i.reason.key) ? hintText(lang, expected(field))
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
