import { durationText, type Explanation } from '@vigie/rules';
import { formatNumber, INTL_LOCALES, translate, type Lang, type MessageKey } from '../i18n/translate.ts';
import { fr } from '../i18n/fr.ts';
import type { ZoneNames } from './zone-names.ts';
import { eventTypeLabel } from '../format/event-type.ts';
import { NO_PEOPLE, personName, type People } from './people.ts';

const hasKey = (k: string): k is MessageKey => Object.hasOwn(fr, k);

/** An alert's explanation in the console's language; the engine's English summary when the kind is unknown. */
export function explanationSentence(explanation: Explanation, lang: Lang, zoneNames: ZoneNames): string {
  const { kind, numbers, summary } = explanation;
  const key = `explain.${kind}`;
  if (!kind || !hasKey(key)) return summary;
  const groupBy = String(numbers.groupBy ?? '');
  const group = String(numbers.key ?? '');
  const zone = groupBy.startsWith('zone') ? (zoneNames.get(group) ?? group) : group;
  const type: Record<string, string> = typeof numbers.type === 'string' ? { type: eventTypeLabel(numbers.type, lang) ?? numbers.type } : {};
  // A rule's version is a name, not a quantity: "version 1234", never grouped as a count is.
  const version: Record<string, string> = typeof numbers.version === 'number' ? { version: String(numbers.version) } : {};
  return translate(lang, key, { ...numbers, ...decimalsIn(numbers, lang), ...durationsIn(numbers), ...type, ...version, zone });
}

/** A decimal number in the language's way of writing it, small ones whole (a threshold of 0,00001 is not 0). */
const decimalText = (x: number, lang: Lang) => x.toLocaleString(INTL_LOCALES[lang], { maximumSignificantDigits: 6 });
/** Below this, a probability reads as "< 0.0001" (the engine's tail probabilities go down to 0 when nothing is usual). */
const TINY = 0.0001;

/** A probability as a reader takes it in: "< 0,0001" below that, else two significant digits, in the language's way of writing decimals. */
export function probabilityText(p: number, lang: Lang): string {
  const f = (x: number) => x.toLocaleString(INTL_LOCALES[lang], { maximumSignificantDigits: 2 });
  return p < TINY ? `< ${f(TINY)}` : f(p);
}

/**
 * The numbers a sentence says with decimals, in the language's way of writing them (0,25 in
 * French); the p-value as a relation ("= 0,003", "< 0,0001"): "p = 0" would say it cannot happen.
 */
function decimalsIn(numbers: Explanation['numbers'], lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(numbers)) {
    if (typeof v !== 'number' || name === 'count') continue;
    if (name === 'pValue') out[name] = v < TINY ? probabilityText(v, lang) : `= ${probabilityText(v, lang)}`;
    else if (!Number.isInteger(v)) out[name] = decimalText(v, lang);
  }
  return out;
}

/** The numbers the engine writes as durations ("10m", as the rule does), which a French reader would read as metres. */
const DURATIONS = ['window', 'duration', 'gap'] as const;

function durationsIn(numbers: Explanation['numbers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of DURATIONS) if (typeof numbers[name] === 'string') out[name] = durationText(numbers[name]);
  return out;
}

/** A number as the detail's table shows it (a duration as a duration, a probability as one, decimals in the language's way). */
export function numberValue(name: string, value: number | string, lang: Lang = 'fr'): string {
  if (typeof value === 'string') {
    if (name === 'type') return eventTypeLabel(value, lang) ?? value; // "accident de vélo", as the explanation above says it
    return (DURATIONS as readonly string[]).includes(name) ? durationText(value) : value;
  }
  if (name === 'pValue') return probabilityText(value, lang);
  if (name === 'version') return String(value); // a rule's version is a name, not a quantity ("version 1234")
  return Number.isInteger(value) ? formatNumber(lang, value) : decimalText(value, lang);
}

/** The conditions met, in French where the engine gave them (alerts raised before it did, in English). */
export function conditionsIn(explanation: Explanation, lang: Lang): string[] {
  return lang === 'fr' && explanation.conditionsFr?.length ? explanation.conditionsFr : explanation.conditions;
}

/** A number's label in the console's language (its raw name when there is none). */
export function numberLabel(name: string, lang: Lang): string {
  const key = `number.${name}`;
  return hasKey(key) ? translate(lang, key) : name;
}

/** A history entry's action in the console's language. */
export function historyAction(action: string, lang: Lang): string {
  const key = `history.${action}`;
  return hasKey(key) ? translate(lang, key) : action;
}

/**
 * Who wrote a history entry, in the console's language: the rules engine and the server's own
 * jobs by name, people by their display names where `people` knows them, else as they are.
 */
export function historyActor(by: string, lang: Lang, people: People = NO_PEOPLE): string {
  return by === 'engine' || by === 'system' ? translate(lang, `history.by.${by}`) : personName(by, people);
}

const SEVERITY_NAMES: readonly string[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * A history entry's note in the console's language where the server writes it in its own terms:
 * an escalation's `high → critical` with the severities' names, and a critical alert escalated
 * again (it cannot go higher: a reminder that nobody took it in hand) said as such. Others as written.
 */
export function historyNote(entry: { action: string; note?: string }, lang: Lang): string | undefined {
  const m = entry.action === 'escalated' ? /^(\w+) → (\w+)$/.exec(entry.note ?? '') : null;
  if (!m || !SEVERITY_NAMES.includes(m[1]!) || !SEVERITY_NAMES.includes(m[2]!)) return entry.note;
  const name = (s: string) => translate(lang, `severity.${s}` as MessageKey);
  return m[1] === m[2] ? translate(lang, 'history.escalated.again', { severity: name(m[1]!) }) : `${name(m[1]!)} → ${name(m[2]!)}`;
}
