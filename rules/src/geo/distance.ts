import type { Location } from '../domain/event.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: Location, b: Location): number {
  return metersOfTerm(haversineTerm(a.lat, a.lon, Math.cos(a.lat * RAD), b.lat, b.lon, Math.cos(b.lat * RAD)));
}

/**
 * The haversine term of two points, each given with its cos(latitude) as `cosLat` gives it
 * (computed once per point): `metersOfTerm` of it is their `distanceMeters`, to the bit. The
 * term grows with the distance, so the farthest of several points is the one of largest term.
 */
export function haversineTerm(latA: number, lonA: number, cosA: number, latB: number, lonB: number, cosB: number): number {
  const dLat = (latB - latA) * RAD;
  const dLon = (lonB - lonA) * RAD;
  return Math.sin(dLat / 2) ** 2 + cosA * cosB * Math.sin(dLon / 2) ** 2;
}

/** The distance in metres of a haversine term (see `haversineTerm`). */
export function metersOfTerm(s: number): number {
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/**
 * Whether point b lies within `meters` of point a, exactly as `distanceMeters(a, b) <= meters`
 * says, both read from an array of numbers where each point's latitude, longitude and cos(latitude)
 * (as `cosLat` gives it, computed once per point) follow one another from its offset (`a`,
 * `b`); and, except within a hair of the limit, without the arcsine and the square root: the
 * haversine term grows with the distance. An array and offsets rather than coordinates: a
 * call that is not inlined boxes no number, and a point's numbers share a cache line.
 */
export function withinMeters(p: Float64Array, a: number, b: number, meters: number, limit: HaversineLimit): boolean {
  const dLat = (p[b]! - p[a]!) * RAD;
  if (Math.abs(dLat) > limit.dLat) return false; // the distance is at least R·|Δφ|
  const dLon = (p[b + 1]! - p[a + 1]!) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + p[a + 2]! * p[b + 2]! * Math.sin(dLon / 2) ** 2;
  if (s < limit.sBelow) return true;
  if (s > limit.sAbove) return false;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s))) <= meters;
}

/** Precomputed bounds of the haversine term for one distance, with a margin for rounding. */
export type HaversineLimit = { dLat: number; sBelow: number; sAbove: number };

export function haversineLimit(meters: number): HaversineLimit {
  const h = Math.sin(Math.min(Math.PI / 2, meters / (2 * EARTH_RADIUS_M))) ** 2;
  return { dLat: (meters / EARTH_RADIUS_M) * (1 + 1e-9) + 1e-15, sBelow: h * (1 - 1e-9), sAbove: h * (1 + 1e-9) };
}

/** cos(latitude) as `distanceMeters` computes it. */
export const cosLat = (lat: number): number => Math.cos(lat * RAD);
