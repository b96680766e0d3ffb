import { parse } from 'csv-parse/sync';
import { type Adapter, type AdapterContext, type Decoded, FeedFormatError, flatAttributes, invalid, lookup } from '../adapter.ts';
import { localToIso } from './local-time.ts';
import type { ItemReason } from '@vigie/rules';

/** Canonical fields a CSV column can be mapped to (`?map.<field>=<column>`). */
export const CSV_FIELDS = ['id', 'type', 'time', 'date', 'hour', 'lat', 'lon', 'severity', 'text'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export type CsvMapping = Partial<Record<CsvField, string>>;

/** The CCTV centre's *main courante* export, as its columns are named by default. */
export const DEFAULT_CSV_MAPPING: CsvMapping = {
  id: 'numero', type: 'nature', date: 'date', hour: 'heure', time: 'horodatage',
  lat: 'latitude', lon: 'longitude', severity: 'gravite', text: 'observations',
};

/** The main courante's natures in the Vigie taxonomy; a dotted value passes as it is. */
export const CSV_NATURES: Record<string, string> = {
  vol: 'incident.theft', 'vol a la tire': 'incident.theft', rixe: 'incident.fight', agression: 'incident.assault',
  degradation: 'incident.vandalism', 'accident de la circulation': 'accident.traffic', 'accident velo': 'accident.bike',
  'accident pieton': 'accident.pedestrian', attroupement: 'crowd.gathering', 'tapage': 'incident.noise',
  'stationnement genant': 'incident.parking', incendie: 'incident.fire', 'malaise': 'health.illness',
};
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

/** The mapping from `map.<field>=<column>` options over the default. */
export function csvMapping(options: Record<string, string> | undefined): CsvMapping {
  const m: CsvMapping = { ...DEFAULT_CSV_MAPPING };
  for (const [k, v] of Object.entries(options ?? {})) {
    const f = k.replace(/^map\./, '') as CsvField;
    if (k.startsWith('map.') && (CSV_FIELDS as readonly string[]).includes(f)) m[f] = v;
  }
  return m;
}

/** Parses the CSV text (`;` or `,` separated, header line first) into records; malformed CSV throws. */
export function parseCsv(body: Buffer): Record<string, string>[] {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) throw new FeedFormatError('the CSV body is empty');
  const header = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    return parse(text, { columns: (h: string[]) => h.map((x) => fold(x)), delimiter, skip_empty_lines: true, trim: true, relax_column_count: false, max_record_size: 64 * 1024 }) as Record<string, string>[];
  } catch (e) {
    throw new FeedFormatError(`malformed CSV: ${(e as Error).message}`);
  }
}

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s.replace(',', '.')));

/** One CSV record as a candidate event, or the reason it cannot be one. */
export function csvRecordToEvent(r: Record<string, string>, m: CsvMapping, ctx: AdapterContext): { item: unknown } | { field: string; message: string; reason: ItemReason } {
  // A mapped column the file lacks is absent, even if named like an object's member (`constructor`).
  const col = (f: CsvField) => (m[f] ? lookup(r, fold(m[f]!)) : undefined);
  const id = col('id');
  // An unmapped field (no column, or an empty name) is named by what it is for.
  if (!id) return { field: m.id || 'id', message: 'required', reason: { key: 'required' } };
  const rawType = col('type') ?? '';
  const type = /^[a-z]+\./.test(rawType) ? rawType : lookup(CSV_NATURES, fold(rawType)) ?? (rawType ? 'incident.other' : undefined);
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
  return {
    item: {
      id, source: ctx.source, type, time,
      ...(lat !== undefined ? { location: { lat, lon } } : {}),
      ...(severity !== undefined ? { severity } : {}),
      attributes: flatAttributes({ ...rest, ...(type === 'incident.other' ? { nature: rawType } : {}) }),
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
    const records = parseCsv(body);
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
