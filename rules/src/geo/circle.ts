import type { CalendarKind } from '../domain/calendar.ts';
import type { Location } from '../domain/event.ts';
import type { ZoneGeometry } from '../domain/zone.ts';
import { distanceMeters } from './distance.ts';

/** Default perimeter radius around a venue when none is given, by kind (metres). */
export const DEFAULT_RADIUS_M: Readonly<Record<CalendarKind, number>> = { match: 600, concert: 400, demonstration: 800, fair: 400 };

const EARTH_M = 6_371_000;

/** A closed polygon of `sides` points approximating a circle of `radiusM` metres around `c` ([lon, lat]). */
export function circlePerimeter(c: Location, radiusM: number, sides = 32): Extract<ZoneGeometry, { type: 'Polygon' }> {
  const ring: [number, number][] = [];
  const dLat = (radiusM / EARTH_M) * (180 / Math.PI);
  const dLon = dLat / Math.cos((c.lat * Math.PI) / 180);
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * i) / sides;
    ring.push([round(c.lon + dLon * Math.cos(a)), round(c.lat + dLat * Math.sin(a))]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The radius (metres, whole) of a perimeter drawn around `c`: the farthest point of its outer
 * ring (for a circle of circlePerimeter, its radius give or take a metre).
 */
export function perimeterRadius(c: Location, perimeter: ZoneGeometry): number {
  const ring = perimeter.type === 'Polygon' ? perimeter.coordinates[0] : perimeter.coordinates[0]?.[0];
  return Math.round(Math.max(0, ...(ring ?? []).map(([lon, lat]) => distanceMeters(c, { lat: lat!, lon: lon! }))));
}
