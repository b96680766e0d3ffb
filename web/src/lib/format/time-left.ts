import { translate, type Lang } from '../i18n/translate.ts';

/** A time left (ms) as the console words it: "42 s", "3 min 05 s", "1 h 20 min". */
export function timeLeftText(ms: number, lang: Lang): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return translate(lang, 'timeLeft.s', { s });
  if (s < 3600) return translate(lang, 'timeLeft.min', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
  return translate(lang, 'timeLeft.h', { h: Math.floor(s / 3600), m: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
}

/**
 * Time left (ms) for work `fraction` done after `elapsedMs`, at the rate so far; null before
 * there is a rate worth going by (under 2 % done, or under a second), and once done.
 */
export function leftByFraction(fraction: number, elapsedMs: number): number | null {
  if (!(fraction >= 0.02) || fraction >= 1 || elapsedMs < 1000) return null;
  return (elapsedMs * (1 - fraction)) / fraction;
}
