import type { FeedHealth } from '@vigie/rules';
import { INTL_LOCALES, type Lang } from '../i18n/translate.ts';

const DASH = '—';

/** Events per minute, one decimal at most ("12,5" in French). */
export function formatRate(perMinute: number | undefined, lang: Lang): string | null {
  if (perMinute === undefined || !Number.isFinite(perMinute)) return null;
  return new Intl.NumberFormat(INTL_LOCALES[lang], { maximumFractionDigits: perMinute < 10 ? 2 : 1 }).format(perMinute);
}

/** The share of refused items as a percentage ("2,5 %"); a dash when unknown. */
export function formatErrorRate(rate: number | undefined, lang: Lang): string {
  if (rate === undefined || !Number.isFinite(rate)) return DASH;
  return new Intl.NumberFormat(INTL_LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A lag in seconds as "45 s", "3 min 05 s", "2 h 05 min" or "3 j 4 h"; a dash when unknown. */
export function formatLag(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} ${lang === 'fr' ? 'j' : 'd'} ${Math.floor((s % 86_400) / 3600)} h`;
}

const ORDER: Readonly<Record<FeedHealth['status'], number>> = { silent: 0, late: 1, 'no-data': 2, ok: 3, imported: 4 };

/** Feeds that need a look first (silent, late, without data), then by name; sources fed by one-off uploads last. */
export const sortFeeds = (feeds: readonly FeedHealth[]): FeedHealth[] =>
  [...feeds].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.source.localeCompare(b.source));

/** Live feeds: a source fed only by one-off uploads (a CSV import) is listed, but is no feed to count as working or failing. */
export const liveFeeds = (feeds: readonly FeedHealth[]): FeedHealth[] => feeds.filter((f) => f.status !== 'imported');

/** A high error rate or lag deserves colour: above 5 % refused, or more than 10 minutes behind. */
export const errorRateHigh = (f: FeedHealth): boolean => (f.errorRate ?? 0) > 0.05;
export const lagHigh = (f: FeedHealth): boolean => (f.lagSeconds ?? 0) > 600;
/** Events the rules saw out of time in the last hour (later than the allowed lateness, or ahead of the clock): any deserves colour. */
export const outOfTime = (f: FeedHealth): number => (f.lateLastHour ?? 0) + (f.futureLastHour ?? 0);
