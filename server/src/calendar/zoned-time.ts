import { localClock } from '@vigie/rules';

/** Parts of a wall-clock time (month 1–12). */
export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The offset of `timeZone` from UTC at instant `t`, in ms (whole minutes). */
function offsetAt(t: number, timeZone: string): number {
  const c = localClock(t, timeZone);
  const floor = t - (((t % 60_000) + 60_000) % 60_000);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute) - floor;
}

/** The instant at which the clocks of `timeZone` show `w` (next to a daylight-saving change, the offset before it). */
export function zonedToUtc(w: WallClock, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}
