import type { RuleQuality } from './types.ts';

const DASH = '—';

/** A share as a percentage in the language's way: "25 %" in French (the space that does not break), "25%" in English. */
export const formatShare = (share: number | null | undefined, lang: string): string =>
  share === null || share === undefined ? DASH : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(share);

export const formatPerDay = (n: number | undefined, lang: string): string =>
  n === undefined ? DASH : n.toLocaleString(lang, { maximumFractionDigits: n < 10 ? 1 : 0 });

/** Seconds as the room says them: 45 s, 12 min, 2 h 05. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return DASH;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')}`;
}

/** A rule is noise when most of its alerts are dismissed as false positives, or it floods the room. */
export const isNoisy = (q: RuleQuality | null): boolean =>
  q !== null && q.alerts >= 5 && ((q.falsePositiveShare ?? 0) >= 0.5 || q.alertsPerDay >= 50);
