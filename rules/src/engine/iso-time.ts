const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (year 99..9999, month 1..12; the day may
 * overflow as in Date.UTC). The day of the year and the year of the era are quotients of
 * non-negative numbers: `| 0` floors them, a few nanoseconds of a 46 ns parse sooner than
 * `Math.floor`.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  return era * 146_097 + yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy - 719_468;
}

/** Date.UTC(year, month - 1, day, h, m, s) by arithmetic where it is plain (no two-digit-year rule, a real month). */
function utc(year: number, month: number, day: number, h: number, m: number, sec: number): number {
  if (year < 100 || year > 9999 || month < 1 || month > 12) return Date.UTC(year, month - 1, day, h, m, sec);
  return daysFromCivil(year, month, day) * 86_400_000 + h * 3_600_000 + m * 60_000 + sec * 1000;
}

/**
 * Milliseconds of an ISO 8601 date-time with an offset (`2026-11-28T21:14:05.123+01:00`,
 * `…Z`). The common shapes are read by hand (several times faster than Date.parse); anything
 * else goes to Date.parse.
 */
export function parseIsoTime(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Date.parse(s);
  const year = d2(s, 0) * 100 + d2(s, 2);
  let ms = utc(year, d2(s, 5), d2(s, 8), d2(s, 11), d2(s, 14), d2(s, 17));
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    let frac = 0, scale = 100;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      frac += c * scale;
      scale /= 10;
    }
    ms += Math.floor(frac);
  }
  const z = s.charCodeAt(i);
  if (z === 90 && i === n - 1) return ms; // Z
  if ((z === 43 || z === 45) && n - i === 6 && s.charCodeAt(i + 3) === 58) {
    const offset = (d2(s, i + 1) * 60 + d2(s, i + 4)) * 60_000;
    return z === 43 ? ms - offset : ms + offset;
  }
  return Date.parse(s);
}
