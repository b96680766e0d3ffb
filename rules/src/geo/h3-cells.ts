import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, getIcosahedronFaces, latLngToCell } from 'h3-js';

const RAD = Math.PI / 180;
/**
 * How close to a remembered hexagon's edge a point is left to h3-js to place: as the sine of
 * the angle between the point and the edge's great circle, 1e-9 (about 6 mm on the ground),
 * far above the rounding of either computation.
 */
const MARGIN = 1e-9;
/** The most hexagons remembered per resolution: past it, all are forgotten and learnt again. */
const MAX_HEXAGONS = 1 << 16;
/**
 * The most grid squares a remembered hexagon's box may cover (some 12 at mid latitudes): near
 * the poles a hexagon spans thousands of columns of longitude, and is left to h3-js.
 */
const MAX_SQUARES = 64;

/** A remembered hexagon: its index, and per edge the unit normal of the edge's great circle, pointing inwards (x, y, z). */
type Hexagon = { id: string; normals: Float64Array };

/**
 * The H3 cell of a point at one resolution, as h3-js's `latLngToCell` gives it, several times
 * faster where the cell was met before: h3-js (compiled C) costs about a microsecond a point.
 * A cell's edges are great-circle arcs (H3 draws its hexagons straight in a gnomonic projection
 * of an icosahedron's face), so a hexagon met before, and lying on one face, holds a point
 * exactly when the point is on the inner side of its six edges' great circles: three products
 * each. Hexagons are found by the grid squares their box covers. A point nearer an edge than
 * MARGIN, or in no hexagon remembered, is placed by h3-js, and its hexagon then remembered;
 * pentagons, hexagons across a face's edge (H3 adds vertices there) and those near a pole
 * (their box spans too many squares) never are. The very same
 * string is returned for every point of a remembered cell.
 */
export class CellFinder {
  /** The grid squares' side, in degrees: about a hexagon's edge. */
  private readonly step: number;
  private squares = new Map<number, Hexagon[]>();
  /** The cells placed by h3-js so far, remembered or not (not tried again). */
  private met = new Set<string>();
  /** Points placed from a remembered hexagon, and by h3-js. */
  readonly stats = { remembered: 0, computed: 0 };

  constructor(readonly res: number, private readonly maxHexagons = MAX_HEXAGONS) {
    this.step = getHexagonEdgeLengthAvg(res, 'm') / 111_320;
  }

  cellAt(lat: number, lon: number): string {
    const list = this.squares.get(this.square(lat, lon));
    if (list) {
      const cosLat = Math.cos(lat * RAD);
      const x = cosLat * Math.cos(lon * RAD), y = cosLat * Math.sin(lon * RAD), z = Math.sin(lat * RAD);
      for (let k = 0; k < list.length; k++) {
        const n = list[k]!.normals;
        let inside = true, onEdge = false;
        for (let i = 0; i < n.length; i += 3) {
          const d = n[i]! * x + n[i + 1]! * y + n[i + 2]! * z;
          // Written so that a coordinate not a number is in no hexagon.
          if (!(d >= -MARGIN)) { inside = false; break; }
          if (!(d > MARGIN)) onEdge = true;
        }
        if (!inside) continue;
        if (onEdge) break; // on an edge: h3-js decides
        this.stats.remembered++;
        return list[k]!.id;
      }
    }
    this.stats.computed++;
    const id = latLngToCell(lat, lon, this.res);
    if (!this.met.has(id)) this.remember(id);
    return id;
  }

  private square(lat: number, lon: number): number {
    return squareKey(Math.floor(lat / this.step), Math.floor(lon / this.step));
  }

  private remember(id: string): void {
    if (this.met.size >= this.maxHexagons) {
      this.met.clear();
      this.squares.clear();
    }
    this.met.add(id);
    const boundary = cellToBoundary(id);
    if (boundary.length !== 6 || getIcosahedronFaces(id).length !== 1) return;
    let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    for (const [lat, lon] of boundary) {
      minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    }
    if (maxLon - minLon > 180) return; // across the antimeridian
    const step = this.step;
    const r0 = Math.floor(minLat / step), r1 = Math.floor(maxLat / step), c0 = Math.floor(minLon / step), c1 = Math.floor(maxLon / step);
    if ((r1 - r0 + 1) * (c1 - c0 + 1) > MAX_SQUARES) return;
    const [cLat, cLon] = cellToLatLng(id);
    const centre = unitVector(cLat, cLon);
    const vertices = boundary.map(([lat, lon]) => unitVector(lat, lon));
    const normals = new Float64Array(18);
    for (let i = 0; i < 6; i++) {
      const a = vertices[i]!, b = vertices[(i + 1) % 6]!;
      let nx = a[1] * b[2] - a[2] * b[1], ny = a[2] * b[0] - a[0] * b[2], nz = a[0] * b[1] - a[1] * b[0];
      const length = Math.hypot(nx, ny, nz);
      const sign = nx * centre[0] + ny * centre[1] + nz * centre[2] < 0 ? -1 : 1;
      nx *= sign / length; ny *= sign / length; nz *= sign / length;
      normals[3 * i] = nx; normals[3 * i + 1] = ny; normals[3 * i + 2] = nz;
    }
    const hexagon: Hexagon = { id, normals };
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const key = squareKey(r, c);
        const list = this.squares.get(key);
        if (list) list.push(hexagon);
        else this.squares.set(key, [hexagon]);
      }
    }
  }
}

/** A grid square's key: rows and columns modulo 2^15 (a V8 small integer; squares that share a key are thousands of km apart, and only cost a test). */
const squareKey = (row: number, col: number): number => (row & 0x7fff) * 32_768 + (col & 0x7fff);

function unitVector(lat: number, lon: number): [number, number, number] {
  const cosLat = Math.cos(lat * RAD);
  return [cosLat * Math.cos(lon * RAD), cosLat * Math.sin(lon * RAD), Math.sin(lat * RAD)];
}

const finders = new Map<number, CellFinder>();

/**
 * The H3 cell of a point at `res`, as h3-js's `latLngToCell` gives it (see `CellFinder`): one
 * finder per resolution for the whole process, as answers depend on nothing else.
 */
export function cellAt(lat: number, lon: number, res: number): string {
  let finder = finders.get(res);
  if (!finder) finders.set(res, (finder = new CellFinder(res)));
  return finder.cellAt(lat, lon);
}
