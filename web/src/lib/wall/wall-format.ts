import type { Lang } from '../i18n/translate.ts';

const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

export const integer = (n: number, lang: Lang): string => new Intl.NumberFormat(LOCALES[lang]).format(n);
