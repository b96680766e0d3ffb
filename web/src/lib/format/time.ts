import type { Lang, MessageKey } from '../i18n/translate.ts';

export type Elapsed = { key: Extract<MessageKey, `since.${string}`>; n: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago `thenMs` was at `nowMs`, in the largest whole unit (clock skew counts as now). */
export function elapsed(thenMs: number, nowMs: number): Elapsed {
  const ms = nowMs - thenMs;
  if (!Number.isFinite(ms) || ms < 5 * SECOND) return { key: 'since.now', n: 0 };
  if (ms < MINUTE) return { key: 'since.seconds', n: Math.floor(ms / SECOND) };
  if (ms < HOUR) return { key: 'since.minutes', n: Math.floor(ms / MINUTE) };
  if (ms < DAY) return { key: 'since.hours', n: Math.floor(ms / HOUR) };
  return { key: 'since.days', n: Math.floor(ms / DAY) };
}

const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

const clockFormats = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, withDate: boolean, timeZone?: string): Intl.DateTimeFormat {
  const id = `${lang}|${withDate}|${timeZone ?? ''}`;
  let format = clockFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      ...(withDate ? { day: '2-digit', month: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    clockFormats.set(id, format);
  }
  return format;
}

/** `hh:mm:ss` (24 h) of an instant. */
export const formatClock = (ms: number, lang: Lang, timeZone?: string): string =>
  formatter(lang, false, timeZone).format(ms);

/** Day, month and `hh:mm:ss` of an ISO time; the input itself when it is not a date. */
export function formatDateTime(iso: string, lang: Lang, timeZone?: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatter(lang, true, timeZone).format(ms);
}
