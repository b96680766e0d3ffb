import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { type Adapter, type AdapterContext, type Decoded, FeedFormatError, flatAttributes, invalid, lookup } from '../adapter.ts';
import { localToIso } from './local-time.ts';
import { decodeWindows1252, type ItemReason } from '@vigie/rules';

/** Canonical fields a CSV column can be mapped to (`?map.<field>=<column>`). */
export const CSV_FIELDS = ['id', 'type', 'time', 'date', 'hour', 'lat', 'lon', 'severity', 'text', 'stop'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export type CsvMapping = Partial<Record<CsvField, string>>;

/** The CCTV centre's *main courante* export, as its columns are named by default. */
export const DEFAULT_CSV_MAPPING: CsvMapping = {
  id: 'numero', type: 'nature', date: 'date', hour: 'heure', time: 'horodatage',
  lat: 'latitude', lon: 'longitude', severity: 'gravite', text: 'observations',
  // No default for `stop`: a column named so was an attribute before, and a file imported then, sent again, must stay duplicates.
};

/** The main courante's natures in the Vigie taxonomy; a dotted value passes as it is. */
export const CSV_NATURES: Record<string, string> = {
  vol: 'incident.theft', 'vol a la tire': 'incident.theft', rixe: 'incident.fight', agression: 'incident.assault',
  degradation: 'incident.vandalism', 'accident de la circulation': 'accident.traffic', 'accident velo': 'accident.bike',
  'accident pieton': 'accident.pedestrian', attroupement: 'crowd.gathering', 'tapage': 'incident.noise',
  'stationnement genant': 'incident.parking', incendie: 'incident.fire', 'malaise': 'health.illness',
  // Further natures of the main courante (the stock rule near-repeat-burglary waits for incident.burglary).
  "vol a l'arrache": 'incident.theft', 'vol a la roulotte': 'incident.theft', "vol a l'etalage": 'incident.theft', 'vol de vehicule': 'incident.theft',
  cambriolage: 'incident.burglary', bagarre: 'incident.fight', violences: 'incident.assault', 'violences volontaires': 'incident.assault',
  'tapage nocturne': 'incident.noise', 'feu de poubelle': 'incident.fire', 'incendie de vehicule': 'incident.fire', 'accident corporel': 'accident.traffic',
};
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
/** A nature as CSV_NATURES spells it: folded, typographic apostrophes as `'`, single spaces (`Vol à l’arraché`). */
const foldNature = (s: string) => fold(s).replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ');

/**
 * The mapping from `map.<field>=<column>` options over the default. `map.id=` (empty): the
 * export has no id column, each record's id is derived from its content (`derivedCsvId`).
 */
export function csvMapping(options: Record<string, string> | undefined): CsvMapping {
  const m: CsvMapping = { ...DEFAULT_CSV_MAPPING };
  for (const [k, v] of Object.entries(options ?? {})) {
    const f = k.replace(/^map\./, '') as CsvField;
    if (k.startsWith('map.') && (CSV_FIELDS as readonly string[]).includes(f)) m[f] = v;
  }
  return m;
}

/**
 * The CSV's text. `charset` (the request's, or the `charset` option): read as it says. None:
 * UTF-8 when the bytes are valid UTF-8, else Windows-1252, what a French spreadsheet saves
 * "CSV" as (read as UTF-8, its accents would become replacement characters: the text lost).
 */
export function decodeCsvText(body: Buffer, charset?: string): string {
  const label = charset?.trim().toLowerCase().replace(/^"|"$/g, '');
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label || 'utf-8', { fatal: true });
  } catch {
    throw new FeedFormatError(`charset "${charset}" is not one this server reads (utf-8, windows-1252, iso-8859-15…)`);
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    if (label) throw new FeedFormatError(`the body is not valid ${label} text, as its charset says (a spreadsheet's "CSV" export is often windows-1252)`);
    return decodeWindows1252(body);
  }
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(body) : text.replace(/^\uFEFF/, '');
}

/** Parses the CSV text (`;` or `,` separated, header line first) into records; malformed CSV throws. See `decodeCsvText` for `charset`. */
export function parseCsv(body: Buffer, charset?: string): Record<string, string>[] {
  const text = decodeCsvText(body, charset);
  if (!text.trim()) throw new FeedFormatError('the CSV body is empty');
  const header = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    return parse(text, { columns: (h: string[]) => h.map((x) => fold(x)), delimiter, skip_empty_lines: true, trim: true, relax_column_count: false, max_record_size: 64 * 1024 }) as Record<string, string>[];
  } catch (e) {
    throw new FeedFormatError(`malformed CSV: ${(e as Error).message}`);
  }
}

/**
 * The id of a record whose export has no id column (`map.id=` left empty): derived from the
 * record's whole content, every column's name and value (trimmed, Unicode NFC, line endings
 * as `\n`), whatever the column order, the mapping or the chunk it came in. Importing the same
 * file again gives the same ids, so its records are duplicates, not doubles; two records of
 * a file identical in every column are one incident (the second a duplicate).
 */
export function derivedCsvId(r: Record<string, string>): string {
  const content = Object.keys(r).sort().map((k) => [k, (r[k] ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim()]);
  return `csv-${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32)}`;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s.replace(',', '.')));

/** One CSV record as a candidate event, or the reason it cannot be one. */
export function csvRecordToEvent(r: Record<string, string>, m: CsvMapping, ctx: AdapterContext): { item: unknown } | { field: string; message: string; reason: ItemReason } {
  // A mapped column the file lacks is absent, even if named like an object's member (`constructor`).
  const col = (f: CsvField) => (m[f] ? lookup(r, fold(m[f]!)) : undefined);
  // No id column (mapped to nothing on purpose): an id from the record's content.
  const id = m.id === '' ? derivedCsvId(r) : col('id');
  // An unmapped field (no column, or an empty name) is named by what it is for.
  if (!id) return { field: m.id || 'id', message: 'required', reason: { key: 'required' } };
  const rawType = col('type') ?? '';
  const type = /^[a-z]+\./.test(rawType) ? rawType : lookup(CSV_NATURES, foldNature(rawType)) ?? (rawType ? 'incident.other' : undefined);
  if (!type) return { field: m.type || 'type', message: 'required', reason: { key: 'required' } };
  const time = col('time') ? localToIso(col('time')!, undefined, ctx.timeZone ?? 'Europe/Paris') : col('date') ? localToIso(col('date')!, col('hour'), ctx.timeZone ?? 'Europe/Paris') : undefined;
  if (!time) return { field: col('time') ? m.time! : m.date || 'date', message: 'not a date and time (dd/mm/yyyy and hh:mm, or ISO 8601)', reason: { key: 'datetime' } };
  const lat = num(col('lat')), lon = num(col('lon'));
  if ((lat === undefined) !== (lon === undefined)) return { field: lat === undefined ? m.lat! : m.lon!, message: 'latitude and longitude go together', reason: { key: 'lat_lon_pair' } };
  const severity = num(col('severity'));
  const used = new Set(Object.values(m).filter(Boolean).map((c) => fold(c!)));
  // Other columns are attributes; plain numbers (no leading zero, which codes keep) become numbers.
  const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !used.has(k) && k.length <= 64)
    .map(([k, v]) => [k, /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(v) ? Number(v) : v]));
  const text = col('text');
  // The transit stop the record happened at (a transport operator's export): `attributes.stopId`, placed there on ingest.
  const stop = col('stop')?.trim();
  return {
    item: {
      id, source: ctx.source, type, time,
      ...(lat !== undefined ? { location: { lat, lon } } : {}),
      ...(severity !== undefined ? { severity } : {}),
      attributes: flatAttributes({ ...rest, ...(type === 'incident.other' ? { nature: rawType } : {}), ...(stop ? { stopId: stop } : {}) }),
      ...(text ? { text } : {}),
    },
  };
}

/**
 * CSV upload of the CCTV centre's incident log: a header line, `;` or `,`, one incident per
 * row. Columns map to event fields (`map.<field>=<column>` options, defaults for the main
 * courante export); other columns become attributes; a bad row is rejected with its index
 * (0 = first data row) and never costs the others.
 */
export const csvAdapter: Adapter = {
  format: 'csv',
  contentTypes: ['text/csv', 'text/plain', 'application/csv'],
  decode(body, ctx): Decoded {
    const records = parseCsv(body, ctx.options?.charset);
    const m = csvMapping(ctx.options);
    const out: Decoded = { items: [], rejected: [] };
    records.forEach((r, index) => {
      const x = csvRecordToEvent(r, m, ctx);
      if ('item' in x) out.items.push({ index, item: x.item });
      else out.rejected.push(invalid(index, x.field, x.message, x.reason));
    });
    return out;
  },
};
