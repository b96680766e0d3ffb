import { formatFullDateTime } from '../format/time.ts';
import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import type { IcsRejection } from './calendar-api.ts';
import { kindLabel } from './kind-label.ts';

/** The properties of a VEVENT that hold a date or a date and time. */
const TIME_PROPERTIES = new Set(['DTSTART', 'DTEND', 'RECURRENCE-ID', 'RDATE', 'EXDATE']);

/** The property of the file behind a field of the calendar's own schema (an occurrence the calendar refused). */
const PROPERTY_OF: Readonly<Record<string, string>> = {
  title: 'SUMMARY', venue: 'LOCATION', startsAt: 'DTSTART', endsAt: 'DTEND', expectedAttendance: 'X-VIGIE-ATTENDANCE',
  location: 'GEO', 'location.lat': 'GEO', 'location.lon': 'GEO', perimeter: 'X-VIGIE-RADIUS', kind: 'CATEGORIES',
};

/**
 * How the refused event is named: its title (SUMMARY) and its start on the city's clock, as
 * its users know it; its UID (else its rank in the file) only when it has no title.
 */
export function icsRejectionName(lang: Lang, r: IcsRejection, timeZone: string): string {
  const title = r.summary?.trim() || r.uid || `#${r.index + 1}`;
  return r.startsAt ? `${title} (${formatFullDateTime(r.startsAt, lang, timeZone)})` : title;
}

/** The property at fault and why, in the console's language: `DTSTART`, `… is not a real date and time (an .ics date is written …)`. */
export function icsRejectionReason(lang: Lang, r: IcsRejection): { field: string | null; reason: string } {
  // An older server's answer: `error` in English, `field` and `reason` beside it.
  const error = typeof r.error === 'string' ? { message: r.error, field: r.field, reason: r.reason, value: undefined } : r.error;
  const { message, reason } = error;
  if (!error.field || !reason) return { field: null, reason: message };
  const field = PROPERTY_OF[error.field] ?? error.field;
  if (field === 'GEO' && reason.key === 'required') return { field, reason: translate(lang, 'calendar.ics.geoRequired') };
  if (TIME_PROPERTIES.has(field) && (reason.key === 'datetime' || reason.key === 'format')) {
    return { field, reason: error.value ? translate(lang, 'calendar.ics.datetimeValue', { value: error.value }) : translate(lang, 'calendar.ics.datetime') };
  }
  if (field === 'CATEGORIES' && reason.key === 'one_of') return { field, reason: translate(lang, 'calendar.ics.kind', { values: reason.values.map(kindLabel(lang)).join(', ') }) };
  if (field === 'DTEND' && reason.key === 'too_big') return { field, reason: translate(lang, 'calendar.form.tooLong', { days: reason.limit }) };
  if (field === 'DTEND' && reason.key === 'invalid') return { field, reason: translate(lang, 'calendar.form.endsAfterStart') };
  return { field, reason: reasonText(lang, reason, message, kindLabel(lang)) };
}

/** Why an .ics file's event was not imported, in the console's language, on one line: the event, the property, the reason. */
export function icsRejectionText(lang: Lang, r: IcsRejection, timeZone: string): string {
  const event = icsRejectionName(lang, r, timeZone);
  const { field, reason } = icsRejectionReason(lang, r);
  return field ? translate(lang, 'calendar.ics.rejected', { event, field, reason }) : translate(lang, 'error.issue', { field: event, reason });
}
