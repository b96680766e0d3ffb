import { DEFAULT_LANG, parseLang, translate, type Lang, type MessageKey, type Params } from './translate.ts';

const STORAGE_KEY = 'vigie.lang';

function readStoredLang(): Lang {
  try {
    return parseLang(globalThis.localStorage?.getItem(STORAGE_KEY));
  } catch {
    return DEFAULT_LANG; // storage disabled: keep the default
  }
}

/** The console's current language, persisted in localStorage. */
class Locale {
  lang = $state<Lang>(readStoredLang());

  set(lang: Lang): void {
    this.lang = lang;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }

  toggle(): void {
    this.set(this.lang === 'fr' ? 'en' : 'fr');
  }
}

export const locale = new Locale();

/** Translate in the current language (reactive: re-runs when the language changes). */
export function t(key: MessageKey, params?: Params): string {
  return translate(locale.lang, key, params);
}
