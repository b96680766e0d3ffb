import type { PublicCounts, PublicCategory } from '@vigie/rules';
import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';

/** A count as published: the number in the language's way, "< 5" where it is withheld. */
export function countText(n: number | null, minCount: number, lang: Lang): string {
  return n === null ? `<\u00a0${minCount}` : n.toLocaleString(INTL_LOCALES[lang]);
}

/** The value a column sorts by: a withheld count between 0 and the smallest published one. */
export const sortValue = (counts: PublicCounts, c: PublicCategory): number => counts[c] ?? 0.5;

/** The map's classes, from the fewest to the most (a sequential scale that brightens on the dark map). */
export const CLASS_COLORS = ['#1d3a56', '#23618f', '#2f8bc4', '#6fbfe9', '#c9ecff'] as const;

/**
 * Up to CLASS_COLORS.length classes of the published counts above zero, as the upper bound of
 * each but the last (a count goes in the first class whose bound it does not pass): quantiles,
 * so that each colour holds about as many zones; fewer classes when the counts are few.
 */
export function classBounds(counts: readonly (number | null)[]): number[] {
  const values = [...new Set(counts.filter((n): n is number => n !== null && n > 0))].sort((a, b) => a - b);
  const k = Math.min(CLASS_COLORS.length, values.length);
  const bounds: number[] = [];
  for (let i = 1; i < k; i++) bounds.push(values[Math.floor((i * values.length) / k) - 1]!);
  return bounds;
}

/** The class of a published count above zero (see `classBounds`). */
export function classOf(n: number, bounds: readonly number[]): number {
  let i = 0;
  while (i < bounds.length && n > bounds[i]!) i++;
  return i;
}
