import { isRealDate, zonedToUtc } from '../../time/zoned-time.ts';

/**
 * A local wall-clock time in `timeZone` ("28/11/2026" + "21:14[:05]", or "2026-11-28 21:14")
 * as an ISO time with offset; undefined when unreadable. ISO times with an offset pass through.
 */
export function localToIso(date: string, time: string | undefined, timeZone: string): string | undefined {
  const whole = `${date.trim()} ${(time ?? '').trim()}`.trim();
  if (/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(whole)) {
    if (!realDateAtStart(whole)) return undefined;
    const d = new Date(whole.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const m = /^(?:(\d{1,2})\/(\d{1,2})\/(\d{4})|(\d{4})-(\d{2})-(\d{2}))[ T]?(?:(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(whole);
  if (!m) return undefined;
  const [y, mo, d] = m[1] ? [Number(m[3]), Number(m[2]), Number(m[1])] : [Number(m[4]), Number(m[5]), Number(m[6])];
  const [h, mi, s] = [Number(m[7] ?? 0), Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  if (!isRealDate(y, mo, d)) return undefined; // 31/02
  // Around a change of the clocks: the first of an hour shown twice, a skipped time as the same time later (see zonedToUtc).
  return new Date(zonedToUtc({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, timeZone)).toISOString();
}

/**
 * Whether a text that starts with a date (YYYY-MM-DD) names a day that exists: Date reads
 * 2026-02-30 as 2 March, where a feed's time must be refused.
 */
export function realDateAtStart(text: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(text);
  if (!m) return true;
  return isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
