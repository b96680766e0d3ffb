// Rows in PostgreSQL's COPY text format: one line per row, fields separated by tabs, \N for
// null, and in each field a backslash, tab, newline or carriage return written as an escape.
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field as COPY's text format reads it back: the same text, or null. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

/** One row: its fields, tab-separated, and the end of line. */
export const copyRow = (fields: (string | number | null | undefined)[]): string => `${fields.map(copyField).join('\t')}\n`;
