// Event times in PostgreSQL's binary format: read once in JavaScript instead of parsed from
// text by the database (on PGlite, the busier thread: see events-repo.ts).

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const SIMPLE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:Z|([+-])(\d\d):(\d\d))$/;

/**
 * The instant PostgreSQL reads from an ISO time, as microseconds since 2000-01-01 UTC, for
 * the plain shape events have (years 1000 to 9999, at most six decimals, so that nothing is
 * rounded, Z or ±hh:mm), the fields checked (no 31 February); otherwise undefined and
 * PostgreSQL reads the text, as before.
 */
export function pgMicros(time: string): bigint | undefined {
  const m = SIMPLE_TIME.exec(time);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(sec);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return undefined; // a day the month does not have
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  if (sign && (Number(oh) > 15 || Number(om) > 59)) return undefined;
  const ms = local - offset * 60_000 - PG_EPOCH_MS;
  return BigInt(ms) * 1000n + BigInt(frac ? Number(frac.padEnd(6, '0')) : 0);
}

/**
 * A timestamptz[] parameter in the binary format (microseconds since 2000-01-01 UTC, null
 * where undefined): read without parsing any text. For `$n::timestamptz[]` parameters.
 */
export function timestamptzArrayParam(micros: (bigint | undefined)[]): Buffer {
  const buf = Buffer.alloc(20 + micros.length * 12);
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(micros.includes(undefined) ? 1 : 0, 4); // has nulls
  buf.writeUInt32BE(1184, 8); // element type: timestamptz
  buf.writeInt32BE(micros.length, 12);
  buf.writeInt32BE(1, 16); // lower bound
  let o = 20;
  for (const m of micros) {
    if (m === undefined) { buf.writeInt32BE(-1, o); o += 4; continue; }
    buf.writeInt32BE(8, o);
    buf.writeBigInt64BE(m, o + 4);
    o += 12;
  }
  return buf.subarray(0, o);
}
