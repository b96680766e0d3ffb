import type { Lang, MessageKey } from '../i18n/translate.ts';

/*
 * Every time the console shows is on the city's clock (`TZ` on the server, sent in
 * `/api/v1/config` and the wall's boot; see city-zone.svelte.ts), whatever the browser's
 * time zone: an operator comparing the console, the wall and a CSV export reads one clock.
 * The zone is a required argument of every formatter here, and nothing else in web/src
 * formats a date (checked by time-zone-guard.test.ts).
 */

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

const SHAPES = {
  /** hh:mm:ss */
  clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  /** dd/mm hh:mm:ss */
  dateTime: { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  /** hh:mm */
  hourMinute: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** samedi 28 novembre */
  longDate: { weekday: 'long', day: 'numeric', month: 'long' },
  /** sam. 28 nov., 21:14 */
  eventTime: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(shape: keyof typeof SHAPES, lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const id = `${shape}|${lang}|${timeZone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { ...SHAPES[shape], timeZone });
    formats.set(id, format);
  }
  return format;
}

const at = (time: number | string): number => (typeof time === 'number' ? time : Date.parse(time));

/** `hh:mm:ss` (24 h) of an instant on the clock of `timeZone`. */
export const formatClock = (ms: number, lang: Lang, timeZone: string): string => formatter('clock', lang, timeZone).format(ms);

/** Day, month and `hh:mm:ss` of an ISO time on the clock of `timeZone`; the input itself when it is not a date. */
export function formatDateTime(iso: string, lang: Lang, timeZone: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatter('dateTime', lang, timeZone).format(ms);
}

/** `hh:mm` (24 h) of an instant (ms or ISO) on the clock of `timeZone`. */
export const hourMinute = (time: number | string, lang: Lang, timeZone: string): string => formatter('hourMinute', lang, timeZone).format(at(time));

/** Weekday, day and month of an instant on the clock of `timeZone`. */
export const longDate = (ms: number, lang: Lang, timeZone: string): string => formatter('longDate', lang, timeZone).format(ms);

/** Day, date and time of an event's bound, on the clock of `timeZone`. */
export const eventTime = (iso: string, lang: Lang, timeZone: string): string => formatter('eventTime', lang, timeZone).format(Date.parse(iso));

/** `hh:mm` of an instant plus `slot` hours, on the clock of `timeZone`. */
export const slotTime = (startIso: string, slot: number, lang: Lang, timeZone: string): string =>
  formatter('hourMinute', lang, timeZone).format(Date.parse(startIso) + slot * 3_600_000);
