import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import type { IcsRejection } from './calendar-api.ts';

/** Why an .ics file's event was not imported, in the console's language: the event (its UID, else its place in the file), the property, the reason. */
export function icsRejectionText(lang: Lang, r: IcsRejection): string {
  const which = r.uid ?? `#${r.index + 1}`;
  // An older server's answer: `error` in English, `field` and `reason` beside it.
  const { message, field, reason } = typeof r.error === 'string' ? { message: r.error, field: r.field, reason: r.reason } : r.error;
  if (!field || !reason) return translate(lang, 'error.issue', { field: which, reason: message });
  const why = field === 'GEO' && reason.key === 'required' ? translate(lang, 'calendar.ics.geoRequired') : reasonText(lang, reason, message);
  return translate(lang, 'calendar.ics.rejected', { event: which, field, reason: why });
}
