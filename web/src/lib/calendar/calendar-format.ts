import type { Lang } from '../i18n/translate.ts';

const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** Day, date and time of an event's bound, on the city's clock. */
export const eventTime = (iso: string, lang: Lang, timeZone?: string): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(Date.parse(iso));

/** `hh:mm` of an instant plus `slot` hours. */
export const slotTime = (startIso: string, slot: number, lang: Lang, timeZone?: string): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(Date.parse(startIso) + slot * 3_600_000);
