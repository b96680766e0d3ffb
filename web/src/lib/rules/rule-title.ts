import { durationText } from '@vigie/rules';
import { translate, type Lang } from '../i18n/translate.ts';

/** What of a rule's definition its title's placeholders may say in a list (its window, its threshold). */
type Definition = { window?: unknown; within?: unknown; count?: unknown; min?: unknown; distinct?: unknown; description?: unknown; translations?: Record<string, { title?: unknown; description?: unknown } | undefined> };

const gteOf = (v: unknown): number | undefined => (v && typeof v === 'object' && typeof (v as { gte?: unknown }).gte === 'number' ? (v as { gte: number }).gte : undefined);

/**
 * A rule's title for a list of rules, without the placeholders its alerts fill: `{window}` and
 * `{count}` said from the rule itself ("≥ 4 signalements en 10 min"), a placeholder that ends
 * the title or stands in brackets left out with its separator ("Afflux en sortie de match —
 * {zone}" → "Afflux en sortie de match"), any other as "…". With `lang`, the rule's
 * translation for that language where it has one.
 */
export function ruleTitleText(title: string, rule?: object, lang?: Lang): string {
  const definition = rule as Definition | undefined;
  title = ruleTemplateIn(title, rule, lang);
  const window = definition?.window ?? definition?.within;
  const threshold = gteOf(definition?.count) ?? gteOf(definition?.distinct) ?? (typeof definition?.min === 'number' ? definition.min : undefined);
  const text = title
    .replace(/\s*\(\{[^}]*\}\)/g, '')
    .replace(/\s*(?:[—–:-]|\bdepuis|\bsince)\s*\{[^}]*\}\s*$/, '')
    .replace(/\{window\}/g, typeof window === 'string' ? durationText(window) : '…')
    .replace(/\{count\}/g, threshold !== undefined ? `≥\u00a0${threshold}` : '…')
    .replace(/\{[^}]*\}/g, '…')
    .trim();
  return text && text !== '…' ? text : title;
}

/** A rule's title template in `lang`: its translation for that language where it has one, else its own. */
export function ruleTemplateIn(title: string, rule?: object, lang?: Lang): string {
  const own = lang ? (rule as Definition | undefined)?.translations?.[lang]?.title : undefined;
  return typeof own === 'string' && own ? own : title;
}

/** What a rule watches, in `lang`: its translation's description where it has one, else its own (undefined: it has none). */
export function ruleDescriptionIn(rule: object | undefined, lang?: Lang): string | undefined {
  const definition = rule as Definition | undefined;
  const own = lang ? definition?.translations?.[lang]?.description : undefined;
  if (typeof own === 'string' && own.trim()) return own.trim();
  return typeof definition?.description === 'string' && definition.description.trim() ? definition.description.trim() : undefined;
}

/** The placeholders said for what they stand by their name (the first of their alternatives), as `rules.placeholder.<name>` says them. */
const PLACEHOLDERS = ['zone', 'key', 'count', 'window'] as const;
const namedPlaceholder = (name: string): name is (typeof PLACEHOLDERS)[number] => (PLACEHOLDERS as readonly string[]).includes(name);

/**
 * A rule's title template as a tooltip shows it: each placeholder said for what it stands
 * ("[zone]", "[durée écoulée]"), the window and the threshold from the rule as the list's
 * titles say them, never the rule language's `{fault.time|ago}`.
 */
export function ruleTemplateDescribed(title: string, rule: object | undefined, lang: Lang): string {
  const definition = rule as Definition | undefined;
  const window = definition?.window ?? definition?.within;
  const threshold = gteOf(definition?.count) ?? gteOf(definition?.distinct) ?? (typeof definition?.min === 'number' ? definition.min : undefined);
  return ruleTemplateIn(title, rule, lang).replace(/\{([^}]*)\}/g, (_, inner: string) => {
    const names = inner.split('|').map((n) => n.trim());
    if (names.length > 1 && names[names.length - 1] === 'ago') return `[${translate(lang, 'rules.placeholder.ago')}]`;
    const name = names[0] ?? '';
    if (name === 'window' && typeof window === 'string') return durationText(window);
    if (name === 'count' && threshold !== undefined) return `≥\u00a0${threshold}`;
    if (namedPlaceholder(name)) return `[${translate(lang, `rules.placeholder.${name}`)}]`;
    // A field of the event (event.attributes.stopName): its last part names it.
    return `[${name.split('.').pop() || '…'}]`;
  });
}
