import type { ItemReason } from '@vigie/rules';
import { translate, type Lang } from '../i18n/translate.ts';

/**
 * The server's reason for refusing a record, in the console's language; the server's own
 * (English) message when it gave no reason or one this console does not know yet.
 * `valueLabel`: how the console names the values of a closed list (a calendar kind's label).
 */
export function reasonText(lang: Lang, reason: ItemReason | undefined, message: string, valueLabel: (value: string) => string = (v) => v): string {
  if (!reason) return message;
  switch (reason.key) {
    case 'too_big': case 'too_small': case 'too_long': case 'too_short': case 'hours_ahead': case 'time_range':
      return translate(lang, `import.reason.${reason.key}`, { limit: reason.limit });
    case 'one_of':
      return translate(lang, 'import.reason.one_of', { values: reason.values.map(valueLabel).join(', ') });
    case 'required': case 'datetime': case 'lat_lon_pair': case 'nul': case 'lone_surrogate': case 'forbidden_source':
    case 'conflict': case 'type': case 'format': case 'unknown_field': case 'invalid': case 'not_found': case 'in_past':
    case 'closed': case 'weak': case 'taken': case 'self_crossing':
      return translate(lang, `import.reason.${reason.key}`);
    default:
      return message;
  }
}
