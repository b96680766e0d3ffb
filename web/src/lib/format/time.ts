import { INTL_LOCALES, type Lang, type MessageKey } from '../i18n/translate.ts';

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


const SHAPES = {
  /** hh:mm:ss */
  clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  /** dd/mm hh:mm:ss */
  dateTime: { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  /** dd/mm/yyyy hh:mm */
  fullDateTime: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** hh:mm */
  hourMinute: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** samedi 28 novembre */
  longDate: { weekday: 'long', day: 'numeric', month: 'long' },
  /** sam. 28 nov., 21:14 */
  eventTime: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** dim. 28 nov. 2027, 21:14 */
  eventTimeYear: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * In English, the month by its name ("1 Dec, 01:46:02"): "01/12" reads as the 12th of January
 * to part of its readers. French keeps `dd/mm`, as the city writes it.
 */
const NAMED_MONTH = {
  dateTime: { day: 'numeric', month: 'short' },
  fullDateTime: { day: 'numeric', month: 'short' },
} as const satisfies Partial<Record<keyof typeof SHAPES, Intl.DateTimeFormatOptions>>;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(shape: keyof typeof SHAPES, lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const id = `${shape}|${lang}|${timeZone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALES[lang], { ...SHAPES[shape], ...(lang === 'en' ? NAMED_MONTH[shape as keyof typeof NAMED_MONTH] : undefined), timeZone });
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

/** `dd/mm/yyyy hh:mm` of an instant (ISO) on the clock of `timeZone`: a date of another year reads as one. */
export function formatFullDateTime(iso: string, lang: Lang, timeZone: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatter('fullDateTime', lang, timeZone).format(ms);
}

/** `hh:mm` (24 h) of an instant (ms or ISO) on the clock of `timeZone`. */
export const hourMinute = (time: number | string, lang: Lang, timeZone: string): string => formatter('hourMinute', lang, timeZone).format(at(time));

/**
 * When something in force ends, as `warnings.until` / `warnings.untilTomorrow` /
 * `warnings.untilDay` say it: `hh:mm` when it ends on the city's day of `now`, "demain hh:mm" on
 * the next (a warning until tomorrow morning must not read as this morning's hour), else the
 * day too ("lun. 30 nov., 06:00"), and the year when it is not `now`'s ("mer. 5 janv. 2028, 06:00").
 */
export function untilParams(until: number, now: number, lang: Lang, timeZone: string): { key: 'warnings.until' | 'warnings.untilTomorrow' | 'warnings.untilDay'; time: string } {
  const day = cityInputValue(until, timeZone), today = cityInputValue(now, timeZone);
  if (day.slice(0, 10) === today.slice(0, 10)) return { key: 'warnings.until', time: hourMinute(until, lang, timeZone) };
  const [y, m, d] = today.slice(0, 10).split('-').map(Number) as [number, number, number];
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  if (day.slice(0, 10) === tomorrow) return { key: 'warnings.untilTomorrow', time: hourMinute(until, lang, timeZone) };
  return { key: 'warnings.untilDay', time: formatter(day.slice(0, 4) === today.slice(0, 4) ? 'eventTime' : 'eventTimeYear', lang, timeZone).format(until) };
}

/** Weekday, day and month of an instant on the clock of `timeZone`. */
export const longDate = (ms: number, lang: Lang, timeZone: string): string => formatter('longDate', lang, timeZone).format(ms);
/** A calendar date of the city (`2026-11-23`: a local date already, no zone to apply) as `longDate` writes it. */
export const formatLocalDate = (date: string, lang: Lang): string => longDate(Date.parse(`${date}T12:00:00Z`), lang, 'UTC');

/** Day, date and time of an event's bound, on the clock of `timeZone`. */
export const eventTime = (iso: string, lang: Lang, timeZone: string): string => formatter('eventTime', lang, timeZone).format(Date.parse(iso));

/** `hh:mm` of an instant plus `slot` hours, on the clock of `timeZone`. */
export const slotTime = (startIso: string, slot: number, lang: Lang, timeZone: string): string =>
  formatter('hourMinute', lang, timeZone).format(Date.parse(startIso) + slot * 3_600_000);

/*
 * Times typed in a form (`<input type="datetime-local">`, `YYYY-MM-DDTHH:mm`) are on the
 * city's clock too, not the browser's: these two turn an instant into that text and back.
 */

const PARTS = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const satisfies Intl.DateTimeFormatOptions;
const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Year, month (1–12), day, hour and minute that the clocks of `timeZone` show at instant `ms`. */
function wallClock(ms: number, timeZone: string): [number, number, number, number, number] {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...PARTS, timeZone });
    partsFormats.set(timeZone, format);
  }
  const get = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = format.formatToParts(ms);
  return [get(parts, 'year'), get(parts, 'month'), get(parts, 'day'), get(parts, 'hour'), get(parts, 'minute')];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const MINUTE_MS = 60_000;

/** How far the clocks of `timeZone` are ahead of UTC at instant `ms` (ms, whole minutes). */
function offsetAt(ms: number, timeZone: string): number {
  const [y, mo, d, h, mi] = wallClock(ms, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi) - (ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS));
}

/** `YYYY-MM-DDTHH:mm` of an instant (ms or ISO) on the clock of `timeZone`: the value of a datetime-local input. */
export function cityInputValue(time: number | string, timeZone: string): string {
  const [y, mo, d, h, mi] = wallClock(at(time), timeZone);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

/**
 * The instant a `YYYY-MM-DDTHH:mm` typed on the clock of `timeZone` means, or null when the text
 * is not such a time. Around a daylight-saving change `clock` says what happened: `skipped`, a
 * time the clocks jumped over (02:30 on the last Sunday of March in Paris), is taken on the
 * offset before the jump (so 03:30 summer time); `repeated`, a time the clocks show twice (02:30
 * on the last Sunday of October), is taken the first time (summer time).
 */
export function cityInputInstant(value: string, timeZone: string): { ms: number; clock: 'exact' | 'skipped' | 'repeated' } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  if (mo < 1 || mo > 12 || h > 23 || new Date(naive).getUTCDate() !== d) return null;
  // The offsets a day either side of it: the instants they give that show this very time.
  const offsets = [...new Set([offsetAt(naive - 86_400_000, timeZone), offsetAt(naive + 86_400_000, timeZone)])].sort((a, b) => b - a);
  const shows = (ms: number) => cityInputValue(ms, timeZone) === `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
  const hits = offsets.map((o) => naive - o).filter(shows).sort((a, b) => a - b);
  if (hits.length === 1) return { ms: hits[0]!, clock: 'exact' };
  if (hits.length > 1) return { ms: hits[0]!, clock: 'repeated' };
  return { ms: naive - Math.min(...offsets), clock: 'skipped' };
}

/**
 * A datetime-local value typed on the clock of `timeZone` (`2026-11-28T21:14`) as the console
 * writes a day and time in `lang` ("sam. 28 nov. 2026, 21:14", "Sat, 28 Nov 2026, 21:14"): the
 * native field shows it in the browser's language and clock ("11/28/2026, 09:14 PM" in an
 * American one), this says it in the console's. A time the clocks skip reads as the one it is
 * taken for (see cityInputInstant). Null when the text is not such a time.
 */
export function inputValueText(value: string, lang: Lang, timeZone: string): string | null {
  const typed = cityInputInstant(value, timeZone);
  return typed ? formatter('eventTimeYear', lang, timeZone).format(typed.ms) : null;
}
