import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';

/** A published count in the language's way of writing numbers. */
export const countText = (n: number, lang: Lang): string => n.toLocaleString(INTL_LOCALES[lang]);

/** What a count rounded at random to a multiple of `roundedTo` may have been: 0 is 0 to 4, 5 is 1 to 9, 10 is 6 to 14 (with 5). */
export function roundedRange(n: number, roundedTo: number): [number, number] {
  return n === 0 ? [0, roundedTo - 1] : [Math.max(1, n - roundedTo + 1), n + roundedTo - 1];
}

/** The map's classes, from the fewest to the most (a sequential scale that brightens on the dark map). */
export const CLASS_COLORS = ['#1d3a56', '#23618f', '#2f8bc4', '#6fbfe9', '#c9ecff'] as const;

/**
 * Up to CLASS_COLORS.length classes of the counts above zero, as the upper bound of each but
 * the last (a count goes in the first class whose bound it does not pass): quantiles, so that
 * each colour holds about as many zones; fewer classes when the counts are few.
 */
export function classBounds(counts: readonly number[]): number[] {
  const values = [...new Set(counts.filter((n) => n > 0))].sort((a, b) => a - b);
  const k = Math.min(CLASS_COLORS.length, values.length);
  const bounds: number[] = [];
  for (let i = 1; i < k; i++) bounds.push(values[Math.floor((i * values.length) / k) - 1]!);
  return bounds;
}

/** The class of a count above zero (see `classBounds`). */
export function classOf(n: number, bounds: readonly number[]): number {
  let i = 0;
  while (i < bounds.length && n > bounds[i]!) i++;
  return i;
}
