/** The offset of `timeZone` from UTC at a given instant, in minutes. */
const formats = new Map<string, Intl.DateTimeFormat>();
function offsetMinutes(at: Date, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const parts = f.formatToParts(at).reduce<Record<string, number>>((m, p) => (p.type === 'literal' ? m : { ...m, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/**
 * A local wall-clock time in `timeZone` ("28/11/2026" + "21:14[:05]", or "2026-11-28 21:14")
 * as an ISO time with offset; undefined when unreadable. ISO times with an offset pass through.
 */
export function localToIso(date: string, time: string | undefined, timeZone: string): string | undefined {
  const whole = `${date.trim()} ${(time ?? '').trim()}`.trim();
  if (/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(whole)) {
    const d = new Date(whole.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const m = /^(?:(\d{1,2})\/(\d{1,2})\/(\d{4})|(\d{4})-(\d{2})-(\d{2}))[ T]?(?:(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(whole);
  if (!m) return undefined;
  const [y, mo, d] = m[1] ? [Number(m[3]), Number(m[2]), Number(m[1])] : [Number(m[4]), Number(m[5]), Number(m[6])];
  const [h, mi, s] = [Number(m[7] ?? 0), Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(guess).getUTCDate() !== d) return undefined; // 31/02
  // The instants that read as this wall-clock time under the zone's offsets around that day: the
  // earlier of two in the hour repeated when clocks go back (the first 02:30 of an October night).
  const half = 12 * 3600_000;
  const readBack = [offsetMinutes(new Date(guess - half), timeZone), offsetMinutes(new Date(guess + half), timeZone)]
    .map((o) => guess - o * 60_000).filter((t) => guess - offsetMinutes(new Date(t), timeZone) * 60_000 === t);
  if (readBack.length) return new Date(Math.min(...readBack)).toISOString();
  // None: the hour skipped when clocks go forward; two passes give the time an hour on (02:30 is 03:30).
  let t = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  t = guess - offsetMinutes(new Date(t), timeZone) * 60_000;
  return new Date(t).toISOString();
}
