import { parse, type Info } from 'csv-parse/sync';
import { FeedFormatError } from '../adapter.ts';
import { readZip } from './zip.ts';

export type GtfsStop = { id: string; name: string; lat: number; lon: number };
export type GtfsRoute = { id: string; shortName: string; longName: string; type: number; color: string | null; shapes: [number, number][][] };
export type GtfsStatic = { stops: GtfsStop[]; routes: GtfsRoute[]; rejected: { file: string; line: number; message: string }[] };

/** The files of the feed the import reads; the others (stop_times.txt, often hundreds of MB…) are not even inflated. */
const FILES = new Set(['stops.txt', 'routes.txt', 'trips.txt', 'shapes.txt']);

/** A file's rows, each with the line of the file it ends on (blank lines counted). */
function table(files: Map<string, Buffer>, name: string, required: boolean): { row: Record<string, string>; line: number }[] {
  const f = files.get(name);
  if (!f) {
    if (required) throw new FeedFormatError(`the GTFS feed has no ${name}`, name);
    return [];
  }
  try {
    const rows = parse<{ record: Record<string, string>; info: Info }>(f.toString('utf8').replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
    return rows.map((r) => ({ row: r.record, line: r.info.lines }));
  } catch (e) {
    throw new FeedFormatError(`${name} is malformed: ${(e as Error).message}`, name);
  }
}

/**
 * A GTFS static feed (zip): stops with their names and positions, routes with their names,
 * colours and shapes (lines as [lon, lat] paths, through trips.txt), for any operator.
 * A row the import cannot take is refused (its file, line and `field: reason`), the rest kept;
 * of rows with the same id (a feed's mistake), the first one taken is kept and the others refused.
 */
export function readGtfsStatic(zip: Buffer): GtfsStatic {
  const files = readZip(zip, FILES);
  const rejected: GtfsStatic['rejected'] = [];
  /** Whether a row is the first of its key in its file; a later one is refused, naming the line kept. */
  const firstOf = (file: string, field: string) => {
    const lines = new Map<string, number>();
    return (key: string, line: number, shown = key): boolean => {
      const kept = lines.get(key);
      if (kept === undefined) {
        lines.set(key, line);
        return true;
      }
      rejected.push({ file, line, message: `${field}: ${shown} is already at line ${kept} (kept)` });
      return false;
    };
  };

  const stops: GtfsStop[] = [];
  const firstStop = firstOf('stops.txt', 'stop_id');
  for (const { row: s, line } of table(files, 'stops.txt', true)) {
    const lat = Number(s.stop_lat), lon = Number(s.stop_lon);
    if (!s.stop_id || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || s.stop_lat === '') {
      // Stations without position (location_type 3/4 nodes) are allowed to lack coordinates.
      if (!s.stop_id || !['3', '4'].includes(s.location_type ?? '')) rejected.push({ file: 'stops.txt', line, message: !s.stop_id ? 'stop_id: required' : 'stop_lat/stop_lon: not a position' });
      continue;
    }
    if (firstStop(s.stop_id, line)) stops.push({ id: s.stop_id, name: s.stop_name || s.stop_id, lat, lon });
  }

  const shapePoints = new Map<string, { seq: number; p: [number, number] }[]>();
  const firstPoint = firstOf('shapes.txt', 'shape_pt_sequence');
  for (const { row: s, line } of table(files, 'shapes.txt', false)) {
    const lat = Number(s.shape_pt_lat), lon = Number(s.shape_pt_lon), seq = Number(s.shape_pt_sequence);
    if (!s.shape_id || ![lat, lon, seq].every(Number.isFinite)) continue;
    if (!firstPoint(`${s.shape_id}\0${seq}`, line, `${seq} of shape ${s.shape_id}`)) continue;
    (shapePoints.get(s.shape_id) ?? shapePoints.set(s.shape_id, []).get(s.shape_id)!).push({ seq, p: [lon, lat] });
  }

  const shapesOfRoute = new Map<string, Set<string>>();
  const firstTrip = firstOf('trips.txt', 'trip_id');
  for (const { row: t, line } of table(files, 'trips.txt', false)) {
    if (t.trip_id && !firstTrip(t.trip_id, line)) continue;
    if (t.route_id && t.shape_id) (shapesOfRoute.get(t.route_id) ?? shapesOfRoute.set(t.route_id, new Set()).get(t.route_id)!).add(t.shape_id);
  }

  const routes: GtfsRoute[] = [];
  const firstRoute = firstOf('routes.txt', 'route_id');
  for (const { row: r, line } of table(files, 'routes.txt', true)) {
    const type = Number(r.route_type ?? 3);
    if (!r.route_id) rejected.push({ file: 'routes.txt', line, message: 'route_id: required' });
    else if (!Number.isInteger(type)) rejected.push({ file: 'routes.txt', line, message: 'route_type: not a number' });
    else if (firstRoute(r.route_id, line)) {
      routes.push({
        id: r.route_id, shortName: r.route_short_name ?? '', longName: r.route_long_name ?? '', type,
        color: /^[0-9A-Fa-f]{6}$/.test(r.route_color ?? '') ? `#${r.route_color}` : null,
        shapes: [...(shapesOfRoute.get(r.route_id) ?? [])].map((id) => (shapePoints.get(id) ?? []).sort((a, b) => a.seq - b.seq).map((x) => x.p)).filter((s) => s.length > 1),
      });
    }
  }
  return { stops, routes, rejected };
}
