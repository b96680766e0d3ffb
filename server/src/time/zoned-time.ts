import { localClock } from '@vigie/rules';

const known = new Map<string, boolean>();
/** An IANA time zone that Intl (hence every clock and formatter of the server) accepts (asked once per name). */
export function knownTimeZone(tz: string): boolean {
  let ok = known.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (known.size < 1000) known.set(tz, ok);
  }
  return ok;
}

/** Parts of a wall-clock time (month 1–12). */
export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const DAY = 86_400_000;

/** Date.UTC for any year: Date.UTC takes years 0 to 99 for 1900 to 1999. */
function utcOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Whether a year, month (1–12) and day name a day that exists (not 30 February, not month 13), in any year. */
export const isRealDate = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && new Date(utcOf(year, month, day)).getUTCDate() === day;

/** The offset of `timeZone` from UTC at instant `t`, in ms (whole minutes). */
function offsetAt(t: number, timeZone: string): number {
  const c = localClock(t, timeZone);
  const floor = t - (((t % 60_000) + 60_000) % 60_000);
  return utcOf(c.year, c.month, c.day, c.hour, c.minute) - floor;
}

/**
 * The instant at which the clocks of `timeZone` show `w`. When they show it twice (the hour
 * set back in autumn), the first time; when they skip it (the hour set forward), the instant
 * it would be had the clocks not changed, which they show as the same time later (02:30 in a
 * 02:00→03:00 change is 03:30; midnight skipped at 00:00→01:00 is 01:00, the day's start).
 */
export function zonedToUtc(w: WallClock, timeZone: string): number {
  const wall = utcOf(w.year, w.month, w.day, w.hour, w.minute, w.second);
  // The offsets either side of any change near this wall time (changes are further apart than two days).
  const before = offsetAt(wall - DAY, timeZone), after = offsetAt(wall + DAY, timeZone);
  const fits = (offset: number) => offsetAt(wall - offset, timeZone) === offset;
  const times = [before, after].filter(fits).map((offset) => wall - offset);
  return times.length ? Math.min(...times) : wall - before;
}
