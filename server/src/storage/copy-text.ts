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


/**
 * COPY text encoded into a Buffer as it is written, piece by piece: a batch of rows never
 * exists as one JavaScript string, which would be copied once more to flatten it and again
 * to encode it for the socket (measured: the encoded text costs about half as much this
 * way). Pieces are written as given: escape fields with `copyField` first.
 */
export class CopyTextBuffer {
  private buf: Buffer;
  private length = 0;

  constructor(expectedBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(256, expectedBytes));
  }

  write(text: string): void {
    const free = this.buf.length - this.length;
    // A UTF-16 unit takes at most 3 bytes in UTF-8: only a piece that might not fit is measured.
    if (free < text.length * 3) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (free < bytes) this.grow(bytes);
    }
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  private grow(bytes: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
