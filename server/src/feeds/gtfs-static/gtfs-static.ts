import { parse } from 'csv-parse/sync';
import { FeedFormatError } from '../adapter.ts';
import { readZip } from './zip.ts';

export type GtfsStop = { id: string; name: string; lat: number; lon: number };
export type GtfsRoute = { id: string; shortName: string; longName: string; type: number; color: string | null; shapes: [number, number][][] };
export type GtfsStatic = { stops: GtfsStop[]; routes: GtfsRoute[]; rejected: { file: string; line: number; message: string }[] };

function table(files: Map<string, Buffer>, name: string, required: boolean): Record<string, string>[] {
  const f = files.get(name);
  if (!f) {
    if (required) throw new FeedFormatError(`the GTFS feed has no ${name}`, name);
    return [];
  }
  try {
    return parse(f.toString('utf8').replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
  } catch (e) {
    throw new FeedFormatError(`${name} is malformed: ${(e as Error).message}`, name);
  }
}

/**
 * A GTFS static feed (zip): stops with their names and positions, routes with their names,
 * colours and shapes (lines as [lon, lat] paths, through trips.txt), for any operator.
 */
export function readGtfsStatic(zip: Buffer): GtfsStatic {
  const files = readZip(zip);
  const rejected: GtfsStatic['rejected'] = [];
  const stops: GtfsStop[] = [];
  table(files, 'stops.txt', true).forEach((s, i) => {
    const lat = Number(s.stop_lat), lon = Number(s.stop_lon);
    if (!s.stop_id || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || s.stop_lat === '') {
      // Stations without position (location_type 3/4 nodes) are allowed to lack coordinates.
      if (!s.stop_id || !['3', '4'].includes(s.location_type ?? '')) rejected.push({ file: 'stops.txt', line: i + 2, message: !s.stop_id ? 'stop_id: required' : 'stop_lat/stop_lon: not a position' });
      return;
    }
    stops.push({ id: s.stop_id, name: s.stop_name || s.stop_id, lat, lon });
  });
  const shapePoints = new Map<string, { seq: number; p: [number, number] }[]>();
  for (const s of table(files, 'shapes.txt', false)) {
    const lat = Number(s.shape_pt_lat), lon = Number(s.shape_pt_lon), seq = Number(s.shape_pt_sequence);
    if (!s.shape_id || ![lat, lon, seq].every(Number.isFinite)) continue;
    (shapePoints.get(s.shape_id) ?? shapePoints.set(s.shape_id, []).get(s.shape_id)!).push({ seq, p: [lon, lat] });
  }
  const shapesOfRoute = new Map<string, Set<string>>();
  for (const t of table(files, 'trips.txt', false)) {
    if (t.route_id && t.shape_id) (shapesOfRoute.get(t.route_id) ?? shapesOfRoute.set(t.route_id, new Set()).get(t.route_id)!).add(t.shape_id);
  }
  const routes: GtfsRoute[] = [];
  table(files, 'routes.txt', true).forEach((r, i) => {
    if (!r.route_id) return rejected.push({ file: 'routes.txt', line: i + 2, message: 'route_id: required' });
    routes.push({
      id: r.route_id, shortName: r.route_short_name ?? '', longName: r.route_long_name ?? '', type: Number(r.route_type ?? 3),
      color: /^[0-9A-Fa-f]{6}$/.test(r.route_color ?? '') ? `#${r.route_color}` : null,
      shapes: [...(shapesOfRoute.get(r.route_id) ?? [])].map((id) => (shapePoints.get(id) ?? []).sort((a, b) => a.seq - b.seq).map((x) => x.p)).filter((s) => s.length > 1),
    });
  });
  return { stops, routes, rejected };
}
