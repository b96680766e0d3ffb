import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';


export const integer = (n: number, lang: Lang): string => new Intl.NumberFormat(INTL_LOCALES[lang]).format(n);
