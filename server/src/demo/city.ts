import { cellToBoundary, cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import { distanceMeters, type Place, type Zone } from '@vigie/rules';
import { DEMO_PLACES } from './places.ts';

/** A rough outline of Marseille's built-up land, typed by hand ([lat, lon]). */
const OUTLINE: [number, number][] = [
  [43.372, 5.31], [43.36, 5.33], [43.335, 5.355], [43.312, 5.36], [43.298, 5.356], [43.29, 5.352],
  [43.278, 5.358], [43.262, 5.37], [43.246, 5.364], [43.228, 5.35], [43.214, 5.36], [43.212, 5.42],
  [43.226, 5.45], [43.25, 5.47], [43.275, 5.5], [43.3, 5.51], [43.33, 5.49], [43.36, 5.46],
  [43.38, 5.43], [43.386, 5.39], [43.38, 5.35],
];

/** H3 resolution of the demo sectors (about 5 km² each). */
export const SECTOR_RESOLUTION = 7;

/**
 * The demo city's sectors: the H3 cells over the outline, each named after its nearest
 * place. Real boundaries come in through the zone import.
 */
export function demoSectors(places: Place[] = DEMO_PLACES): Zone[] {
  const cells = polygonToCells(OUTLINE, SECTOR_RESOLUTION).sort();
  const used = new Map<string, number>();
  return cells.map((cell, i) => {
    const [lat, lon] = cellToLatLng(cell);
    // Named after the first (best-known) place inside the cell, else the nearest one.
    const inside = places.find((p) => latLngToCell(p.lat, p.lon, SECTOR_RESOLUTION) === cell);
    const nearest = places.reduce((best, p) =>
      distanceMeters({ lat, lon }, p) < distanceMeters({ lat, lon }, best) ? p : best);
    const far = !inside && distanceMeters({ lat, lon }, nearest) > 2500;
    const base = far ? `Secteur ${String(i + 1).padStart(2, '0')}` : (inside ?? nearest).name;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const ring = cellToBoundary(cell, true) as [number, number][];
    return {
      id: `sector-${cell}`,
      name: n === 1 ? base : `${base} ${n}`,
      kind: 'sector',
      tags: ['demo'],
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
  });
}

export const DEMO_CITY = { name: 'Marseille', center: [43.2965, 5.3698] as [number, number], zoom: 13 };
