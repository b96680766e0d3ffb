import type { RuleError, RuleReason } from '@vigie/rules';
import { reasonText } from '../import/reason-text.ts';
import { translate, type Lang } from '../i18n/translate.ts';

/**
 * One mistake of a rule in the console's language: from its reason when it has one (a
 * duration, a field, a closed list…), its English message otherwise (a filter's own check).
 * The field goes first, as `field: reason`.
 */
export function ruleErrorMessage(lang: Lang, e: Pick<RuleError, 'field' | 'message' | 'reason'>): string {
  const said = reasonWords(lang, e.reason, e.message);
  return e.field ? translate(lang, 'error.issue', { field: e.field, reason: said }) : said;
}

function reasonWords(lang: Lang, r: RuleReason | undefined, message: string): string {
  if (!r) return message;
  switch (r.key) {
    case 'duration': case 'distance': case 'field_ref': case 'group_by':
      return translate(lang, `rules.reason.${r.key}`);
    case 'yaml':
      return translate(lang, 'rules.reason.yaml', { detail: message });
    default:
      return reasonText(lang, r, message);
  }
}
