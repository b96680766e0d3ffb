import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import type { IcsRejection } from './calendar-api.ts';

/** Why an .ics file's event was not imported, in the console's language: the event (its UID, else its place in the file), the property, the reason. */
export function icsRejectionText(lang: Lang, r: IcsRejection): string {
  const which = r.uid ?? `#${r.index + 1}`;
  if (!r.field || !r.reason) return translate(lang, 'error.issue', { field: which, reason: r.error });
  const reason = r.field === 'GEO' && r.reason.key === 'required' ? translate(lang, 'calendar.ics.geoRequired') : reasonText(lang, r.reason, r.error);
  return translate(lang, 'calendar.ics.rejected', { event: which, field: r.field, reason });
}
