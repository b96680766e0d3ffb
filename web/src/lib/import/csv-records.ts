/**
 * A small CSV record splitter for uploads: it finds where each record starts and ends
 * (quoted fields may hold the delimiter, newlines and `""`), counts its fields and keeps its
 * text as it is, so that a file can be cut into chunks of whole records and sent as CSV again.
 * It also spots the records the server's strict parser would refuse (a stray quote, a
 * missing closing quote, a wrong number of fields): one such record would make the server
 * refuse a whole chunk, so they are reported here, one error per record, and not sent.
 */

export type Delimiter = ';' | ',';

/** Why a record cannot be sent as it is. */
export type RecordProblem =
  | { kind: 'columns'; found: number; expected: number }
  | { kind: 'quote' }
  | { kind: 'unterminated' };

export type CsvRecord = {
  /** 1-based number among the data records (the header and empty lines do not count). */
  number: number;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** The record's text, without its line ending. */
  text: string;
  fields: number;
  problem?: RecordProblem;
};

export type CsvSplit = {
  delimiter: Delimiter;
  /** The header line's text. */
  header: string;
  /** The header's column names (unquoted, trimmed). */
  columns: string[];
  records: CsvRecord[];
};

/** `;` when the header holds more of them than `,` (as the server decides). */
export function detectDelimiter(headerLine: string): Delimiter {
  const count = (c: string) => headerLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

type RawRecord = { line: number; text: string; values: string[]; problem?: 'quote' | 'unterminated' };

/** Walks the text record by record; `values` are the unquoted, trimmed fields. */
function* rawRecords(text: string, delimiter: Delimiter): Generator<RawRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = i;
    const startLine = line;
    const values: string[] = [];
    let value = '';
    let quoted = false; // inside a quoted field
    let wasQuoted = false; // the current field was quoted (and closed)
    let problem: RawRecord['problem'];
    let end = n;
    let next = n;
    for (; i < n; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i++;
          } else quoted = false;
        } else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          value += c;
        }
        continue;
      }
      if (c === '"') {
        if (!wasQuoted && value.trim() === '') {
          quoted = true;
          wasQuoted = true;
          value = '';
        } else problem ??= 'quote';
        continue;
      }
      if (c === delimiter) {
        values.push(wasQuoted ? value : value.trim());
        value = '';
        wasQuoted = false;
        continue;
      }
      if (c === '\n' || c === '\r') {
        end = i;
        next = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
        line++;
        break;
      }
      if (wasQuoted && c !== ' ' && c !== '\t') problem ??= 'quote';
      else value += c;
    }
    if (quoted) problem = 'unterminated';
    values.push(wasQuoted ? value : value.trim());
    i = next;
    yield { line: startLine, text: text.slice(start, end), values, ...(problem ? { problem } : {}) };
  }
}

const isBlank = (r: RawRecord) => r.values.length === 1 && r.values[0] === '' && !r.text.includes('"');

/** Splits decoded CSV text (header line first) into its header and data records. */
export function splitCsv(text: string): CsvSplit {
  const firstLine = text.replace(/^\uFEFF/, '').replace(/^(\s*\r?\n)+/, '');
  const delimiter = detectDelimiter(firstLine.slice(0, firstLine.search(/\r?\n|\r|$/)));
  let head: RawRecord | undefined;
  const records: CsvRecord[] = [];
  for (const r of rawRecords(text, delimiter)) {
    if (isBlank(r)) continue; // the server skips empty lines too
    if (!head) {
      head = r;
      continue;
    }
    const expected = head.values.length;
    const problem: RecordProblem | undefined = r.problem
      ? { kind: r.problem }
      : r.values.length !== expected
        ? { kind: 'columns', found: r.values.length, expected }
        : undefined;
    records.push({ number: records.length + 1, line: r.line, text: r.text, fields: r.values.length, ...(problem ? { problem } : {}) });
  }
  return { delimiter, header: head?.text ?? '', columns: head?.values ?? [], records };
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export type ChunkLimits = { maxRecords: number; maxBytes: number };

/** Records to send at most per request: the ingest API's batch size, and well under its byte limit. */
export const CHUNK_LIMITS: ChunkLimits = { maxRecords: 1000, maxBytes: 2 * 1024 * 1024 };

/** A chunk: consecutive records `[start, end)` of the split. */
export type Chunk = { start: number; end: number };

/**
 * Cuts the records into consecutive chunks, each with at most `maxRecords` records to send
 * and at most `maxBytes` bytes once the header line is added (a single record larger than
 * that goes alone). Records with a problem ride along in their chunk but are not counted:
 * they are not sent.
 */
export function planChunks(split: CsvSplit, limits: ChunkLimits = CHUNK_LIMITS): Chunk[] {
  const chunks: Chunk[] = [];
  const headerBytes = utf8Length(split.header) + 1;
  let start = 0;
  let count = 0;
  let bytes = headerBytes;
  split.records.forEach((r, i) => {
    if (r.problem) return;
    const size = utf8Length(r.text) + 1;
    if (count > 0 && (count + 1 > limits.maxRecords || bytes + size > limits.maxBytes)) {
      chunks.push({ start, end: i });
      start = i;
      count = 0;
      bytes = headerBytes;
    }
    count++;
    bytes += size;
  });
  if (start < split.records.length) chunks.push({ start, end: split.records.length });
  return chunks;
}

/** The CSV body for some records: the header line, then each record on its own line. */
export const csvBody = (header: string, records: readonly CsvRecord[]): string =>
  `${header}\n${records.map((r) => r.text).join('\n')}\n`;
