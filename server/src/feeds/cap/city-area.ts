import type { SqlClient } from '../../storage/sql-client.ts';
import type { CodedArea, TemporaryZone } from '../adapter.ts';

type Point = [number, number];

/**
 * The codes, as `VIGIE_CAP_CITY_GEOCODES` lists them, that name an area holding the whole city:
 * a bare value (`13`) matches a geocode of any `valueName`, `valueName=value` that one only.
 * Compared without case.
 */
export const parseCityGeocodes = (text: string): ReadonlySet<string> =>
  new Set(text.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean));

/** Whether one of an area's codes (`valueName=value`) is one of `city`'s. */
export function namesTheCity(codes: readonly string[], city: ReadonlySet<string>): boolean {
  return codes.some((code) => {
    const c = code.toLowerCase();
    return city.has(c) || city.has(c.slice(c.indexOf('=') + 1));
  });
}

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** The convex hull of `points` as a closed GeoJSON ring, counter-clockwise (Andrew's monotone chain); undefined for fewer than 3 distinct points not in a line. */
export function convexHull(points: readonly Point[]): Point[] | undefined {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: Point[]) => {
    const h: Point[] = [];
    for (const q of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, q) <= 0) h.pop();
      h.push(q);
    }
    h.pop();
    return h;
  };
  const hull = [...half(p), ...half([...p].reverse())];
  return hull.length < 3 ? undefined : [...hull, hull[0]!];
}

function vertices(geometry: unknown, out: Point[]): void {
  const g = geometry as { type?: string; coordinates?: unknown };
  const rings = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? (g.coordinates as unknown[]) : [];
  for (const polygon of rings as Point[][][]) for (const p of polygon[0] ?? []) out.push(p);
}

/** The outline of the city: the convex hull of its zones (their outer rings; warning areas left out). */
export async function cityOutline(db: SqlClient): Promise<Point[] | undefined> {
  const rows = await db.query<{ geometry: unknown }>('SELECT geometry FROM zones WHERE expires_at IS NULL');
  const points: Point[] = [];
  for (const r of rows) vertices(typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry, points);
  return convexHull(points);
}

/**
 * The coded areas that hold the whole city, as zones over its outline (a département's warning
 * covers every street of it); the others, somewhere else, give none.
 */
export async function cityZonesOf(db: SqlClient, areas: readonly CodedArea[], city: ReadonlySet<string>): Promise<{ zones: TemporaryZone[]; elsewhere: readonly CodedArea[]; unshaped: readonly CodedArea[] }> {
  const ours = areas.filter((a) => namesTheCity(a.codes, city));
  const elsewhere = areas.filter((a) => !ours.includes(a));
  const outline = ours.length ? await cityOutline(db) : undefined;
  // No zone of the city to draw its outline from (none imported yet): the city's areas get none.
  if (!outline) return { zones: [], elsewhere, unshaped: ours };
  return { zones: ours.map((a) => ({ id: a.id, name: a.name, geometry: { type: 'Polygon', coordinates: [outline] }, expiresAt: a.expiresAt })), elsewhere, unshaped: [] };
}
