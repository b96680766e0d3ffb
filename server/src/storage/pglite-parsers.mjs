// How PGlite's answers are read where its own readers are wrong: a timestamptz before year 100
// ("0001-01-02 00:00:00+00", which `new Date` reads as 2002). Plain JavaScript: PGlite in
// process (pglite-client.ts) and on its thread (pglite-worker.mjs) share it.
import { types } from '@electric-sql/pglite';

const TIMESTAMPTZ = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;

/** A timestamptz as PostgreSQL writes it (ISO DateStyle), as a Date; ±infinity as ±Infinity, as PGlite gives them. */
export function parseTimestamptz(text) {
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  const m = TIMESTAMPTZ.exec(text);
  if (!m) return new Date(text);
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), m[7] ? Math.floor(Number(m[7]) * 1000) : 0);
  const offset = ((Number(m[9]) * 60 + Number(m[10] ?? 0)) * 60 + Number(m[11] ?? 0)) * 1000;
  return new Date(d.getTime() - (m[8] === '+' ? offset : -offset));
}

/** PGlite's `parsers` option. */
export const PARSERS = { [types.TIMESTAMPTZ]: parseTimestamptz };
