import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';


export const integer = (n: number, lang: Lang): string => new Intl.NumberFormat(INTL_LOCALES[lang]).format(n);

/**
 * The usual number of incidents at this hour, as a wall shows it: a mean of past weeks, so
 * "213.3" would read as false precision from across the room. Whole from 10 up; under 10 one
 * decimal at most ("2.5", "0.3"), where the decimal still says something. `translate` writes it.
 */
export function usualValue(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return 0;
  return n >= 9.95 ? Math.round(n) : Math.round(n * 10) / 10;
}
