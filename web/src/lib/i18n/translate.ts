import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';

export type { MessageKey } from './fr.ts';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'fr';
/** The Intl locale of each language: dates, numbers and decimals as its readers write them. */
export const INTL_LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * A number is written as the language writes numbers (`12 345` / `12,345`, `1,5` / `1.5`); a text
 * as it is given: pass ids, years, ports, versions, line numbers and HTTP statuses as text
 * (`String(version)`), never grouped as a quantity would be ("version 1 234", "2 027").
 */
export type Params = Readonly<Record<string, string | number>>;

const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { fr, en };

/** `lang` when it names a known language, the default language otherwise. */
export function parseLang(value: string | null | undefined): Lang {
  return LANGS.find((l) => l === value) ?? DEFAULT_LANG;
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();

/** A number as `lang` writes it: `17 999` in French (a narrow no-break space, as Intl gives it), `17,999` in English, `1,5` / `1.5`. */
export function formatNumber(lang: Lang, n: number): string {
  let format = numberFormats.get(lang);
  if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(INTL_LOCALES[lang])));
  return format.format(n);
}

/** A placeholder's value in `lang`: a number as the language writes it, a text as it is. */
const paramText = (lang: Lang, value: string | number): string => (typeof value === 'number' ? formatNumber(lang, value) : value);

/**
 * `{n, plural, =0 {aucune} one {# alerte} other {# alertes}}`: the forms may hold `{name}` placeholders, `#` is the count
 * (a number written as the language writes it, a text as it is given); `=N` is for the count N exactly.
 */
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const PLURAL_FORM = /(=?\w+)\s*\{((?:[^{}]|\{\w+\})*)\}/g;
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The form for the count `value` in `lang` (French: 0 and 1 singular), `other` when the language's category is missing. */
function pluralForm(lang: Lang, forms: string, value: string | number): string {
  const byCategory = new Map([...forms.matchAll(PLURAL_FORM)].map((m) => [m[1]!, m[2]!]));
  const n = typeof value === 'number' ? value : Number(value);
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  const category = Number.isFinite(n) ? rules.select(n) : 'other';
  const form = byCategory.get(`=${n}`) ?? byCategory.get(category) ?? byCategory.get('other') ?? '';
  return form.replaceAll('#', paramText(lang, value));
}

/**
 * The message for `key` in `lang`, with `{name}` placeholders replaced by `params` and
 * `{name, plural, one {…} other {…}}` choosing the form for the count `params[name]`; a number
 * (in a placeholder or as a count's `#`) as the language writes it (see `Params`).
 */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[lang][key] ?? fr[key] ?? key;
  if (!params) return template;
  return template
    .replace(PLURAL, (whole, name: string, forms: string) => (Object.hasOwn(params, name) ? pluralForm(lang, forms, params[name]!) : whole))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? paramText(lang, params[name]!) : whole));
}
