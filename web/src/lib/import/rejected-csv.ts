import type { Delimiter } from './csv-records.ts';
import type { Rejection } from './csv-upload.ts';

/** A CSV field, quoted when it must be. */
export function csvField(value: string | number, delimiter: Delimiter): string {
  const s = String(value);
  return s.includes('"') || s.includes(delimiter) || /[\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export type RejectedCsvLabels = { record: string; line: string; field: string; message: string };

/**
 * The rejected records as CSV, in the file's delimiter: record number, line, field and
 * message, then the record itself under the file's own header, so that the file can be
 * fixed and imported again once the first four columns are removed. Starts with a UTF-8
 * byte-order mark so that spreadsheets read the accents right.
 */
export function rejectedCsv(rejections: readonly Rejection[], header: string, delimiter: Delimiter, labels: RejectedCsvLabels, messageOf: (r: Rejection) => string): string {
  const d = delimiter;
  const head = [labels.record, labels.line, labels.field, labels.message].map((x) => csvField(x, d)).join(d);
  const lines = [...rejections]
    .sort((a, b) => a.number - b.number)
    .map((r) => [r.number, r.line, csvField(r.field, d), csvField(messageOf(r), d)].join(d) + d + r.text);
  return `\uFEFF${head}${d}${header}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}

/**
 * The rejected records alone, under the file's own header and nothing else: the file to fix
 * (in a spreadsheet) and import again as it is, whatever the mapping was. UTF-8 with a
 * byte-order mark, which the import reads as such.
 */
export function rejectedRecordsCsv(rejections: readonly Rejection[], header: string): string {
  const records = [...rejections].sort((a, b) => a.number - b.number).map((r) => `${r.text}\r\n`);
  return `\uFEFF${header}\r\n${records.join('')}`;
}
