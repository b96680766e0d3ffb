import { distanceMeters, geometryContains, type Location, type RelativeSector, type ZoneGeometry } from '@vigie/rules';

export { RELATIVE_SECTORS, type RelativeSector } from '@vigie/rules';


/** How far from the venue "around" reaches. */
export const AROUND_M = 2000;

/**
 * The sector of `p` relative to a venue: `perimeter` inside the polygon, else the compass
 * quarter it lies in up to AROUND_M from the venue, else null. Quarters keep past events at
 * other venues comparable: "north of the venue" means the same thing everywhere.
 */
export function relativeSector(venue: Location, perimeter: ZoneGeometry, p: Location): RelativeSector | null {
  if (geometryContains(perimeter, p.lon, p.lat)) return 'perimeter';
  if (distanceMeters(venue, p) > AROUND_M) return null;
  const dy = p.lat - venue.lat;
  const dx = (p.lon - venue.lon) * Math.cos((venue.lat * Math.PI) / 180);
  if (Math.abs(dy) >= Math.abs(dx)) return dy >= 0 ? 'north' : 'south';
  return dx >= 0 ? 'east' : 'west';
}

/** Latitude/longitude box reaching AROUND_M (plus a margin) around a venue, for SQL prefilters. */
export function aroundBox(venue: Location, metres = AROUND_M + 200) {
  const dLat = metres / 111_195;
  const dLon = dLat / Math.cos((venue.lat * Math.PI) / 180);
  return { minLat: venue.lat - dLat, maxLat: venue.lat + dLat, minLon: venue.lon - dLon, maxLon: venue.lon + dLon };
}
