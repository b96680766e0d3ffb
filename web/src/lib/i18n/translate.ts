import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';

export type { MessageKey } from './fr.ts';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'fr';

export type Params = Readonly<Record<string, string | number>>;

const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { fr, en };

/** `lang` when it names a known language, the default language otherwise. */
export function parseLang(value: string | null | undefined): Lang {
  return LANGS.find((l) => l === value) ?? DEFAULT_LANG;
}

/** The message for `key` in `lang`, with `{name}` placeholders replaced by `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[lang][key] ?? fr[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
