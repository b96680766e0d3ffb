export type LocalClock = { hour: number; minute: number; weekday: number; day: number; month: number; year: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Wall-clock fields of instant `t` in `timeZone` (daylight saving included); weekday 1 = Monday. */
export function localClock(t: number, timeZone: string): LocalClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', weekday: 'short', day: 'numeric', month: 'numeric', year: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const out: LocalClock = { hour: 0, minute: 0, weekday: 1, day: 1, month: 1, year: 1970 };
  for (const p of f.formatToParts(t)) {
    switch (p.type) {
      case 'hour': out.hour = Number(p.value); break;
      case 'minute': out.minute = Number(p.value); break;
      case 'weekday': out.weekday = WEEKDAYS[p.value] ?? 1; break;
      case 'day': out.day = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'year': out.year = Number(p.value); break;
    }
  }
  return out;
}

/** Hour of the week, 0 = Monday 00:00–00:59 … 167 = Sunday 23:00–23:59, in local time. */
export const hourOfWeek = (c: LocalClock) => (c.weekday - 1) * 24 + c.hour;
