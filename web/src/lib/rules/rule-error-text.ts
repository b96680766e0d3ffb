import type { RuleError, RuleReason } from '@vigie/rules';
import { reasonText } from '../import/reason-text.ts';
import { fr } from '../i18n/fr.ts';
import { translate, type Lang, type MessageKey } from '../i18n/translate.ts';

/**
 * One mistake of a rule in the console's language, from its reason (a duration, a field, a
 * closed list, a filter's or a schedule's check, the YAML library's error code…); its English
 * message only for a reason this console does not know. The field goes first, as `field: reason`.
 */
export function ruleErrorMessage(lang: Lang, e: Pick<RuleError, 'field' | 'message' | 'reason'>): string {
  const said = reasonWords(lang, e.reason, e.message);
  return e.field ? translate(lang, 'error.issue', { field: e.field, reason: said }) : said;
}

/** The message key `key` when the dictionaries have it (a reason from a newer server may not). */
const known = (key: string): MessageKey | null => (Object.hasOwn(fr, key) ? (key as MessageKey) : null);

/** What each operator's value must be, by the shape it takes. */
const OP_VALUE: Record<string, string> = {
  eq: 'scalar', ne: 'scalar', contains: 'scalar', glob: 'glob', gt: 'number', gte: 'number', lt: 'number', lte: 'number',
  in: 'list', nin: 'list', exists: 'exists', inZone: 'inZone', withinMeters: 'withinMeters', hourBetween: 'hourBetween', dayOfWeek: 'dayOfWeek',
};

function reasonWords(lang: Lang, r: RuleReason | undefined, message: string): string {
  if (!r) return message;
  switch (r.key) {
    case 'duration': case 'distance': case 'field_ref': case 'group_by': case 'mapping': case 'aliases': case 'one_measure': case 'early_sum': case 'early_without_suppress':
    case 'filter_mapping': case 'filter_empty': case 'filter_value': case 'schedule_fields':
      return translate(lang, `rules.reason.${r.key}`);
    case 'yaml': {
      const detail = 'code' in r && r.code ? known(`rules.reason.yaml.${r.code}`) : null;
      return detail ? translate(lang, 'rules.reason.yaml', { detail: translate(lang, detail) }) : translate(lang, 'rules.reason.yamlOther');
    }
    case 'translation_language': case 'translation_own':
      return translate(lang, `rules.reason.${r.key}`);
    case 'translation_actions':
      return translate(lang, 'rules.reason.translation_actions', { count: r.count });
    case 'step_twice':
      return translate(lang, 'rules.reason.step_twice', { name: r.name });
    case 'filter_alone': case 'filter_list':
      return translate(lang, `rules.reason.${r.key}`, { word: r.word });
    case 'condition_key':
      return translate(lang, 'rules.reason.condition_key', { name: r.name });
    case 'needs_field':
      return translate(lang, 'rules.reason.needs_field', { op: r.op });
    case 'op_value': {
      const key = known(`rules.reason.op_value.${OP_VALUE[r.op] ?? ''}`);
      return key ? translate(lang, key, { op: r.op }) : message;
    }
    case 'type_pattern':
      return translate(lang, 'rules.reason.type_pattern', { value: r.value });
    case 'schedule_part': {
      const field = known(`rules.schedule.${r.field}`);
      const words = field ? translate(lang, field) : r.field;
      return translate(lang, r.problem === 'range' ? 'rules.reason.schedule_range' : 'rules.reason.schedule_syntax', { field: words, part: r.part, min: r.min, max: r.max });
    }
    default:
      return reasonText(lang, r, message);
  }
}
