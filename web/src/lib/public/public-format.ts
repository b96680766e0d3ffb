import type { PublicCounts, PublicCategory } from '@vigie/rules';
import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';

/** A count as published: the number in the language's way, "< 5" where it is withheld. */
export function countText(n: number | null, minCount: number, lang: Lang): string {
  return n === null ? `<\u00a0${minCount}` : n.toLocaleString(INTL_LOCALES[lang]);
}

/** The value a column sorts by: a withheld count between 0 and the smallest published one. */
export const sortValue = (counts: PublicCounts, c: PublicCategory): number => counts[c] ?? 0.5;
