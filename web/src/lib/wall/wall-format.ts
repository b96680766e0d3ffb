import type { Lang } from '../i18n/translate.ts';

const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** `hh:mm` of an instant on the city's clock. */
export const hourMinute = (ms: number, lang: Lang, timeZone: string): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);

/** Weekday, day and month of an instant on the city's clock. */
export const longDate = (ms: number, lang: Lang, timeZone: string): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(ms);

export const integer = (n: number, lang: Lang): string => new Intl.NumberFormat(LOCALES[lang]).format(n);
