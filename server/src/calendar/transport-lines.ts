import { distanceMeters, type Location, type Place } from '@vigie/rules';
import { DEMO_LINES } from '../demo/places.ts';

export type TransportLine = { id: string; name: string; stops: { id: string; name: string; lat: number; lon: number }[] };

/** A stop within this distance of a venue serves it. */
export const SERVING_M = 1200;

/** The city's lines as sequences of known places (the demo city's lines; none otherwise). */
export function transportLines(places: readonly Place[], demo: boolean): TransportLine[] {
  if (!demo) return [];
  const byId = new Map(places.map((p) => [p.id, p]));
  return DEMO_LINES.map((l) => ({
    id: l.id, name: l.name,
    stops: l.stops.flatMap((id) => { const p = byId.get(id); return p ? [{ id: p.id, name: p.name, lat: p.lat, lon: p.lon }] : []; }),
  })).filter((l) => l.stops.length >= 2);
}

/** Lines with a stop within SERVING_M of the venue, with that stop and its distance. */
export function servingLines(lines: readonly TransportLine[], venue: Location): { line: TransportLine; stop: TransportLine['stops'][number]; metres: number }[] {
  return lines.flatMap((line) => {
    const near = line.stops.map((stop) => ({ stop, metres: Math.round(distanceMeters(venue, stop)) })).sort((a, b) => a.metres - b.metres)[0];
    return near && near.metres <= SERVING_M ? [{ line, ...near }] : [];
  }).sort((a, b) => a.metres - b.metres);
}

/** Access points of a venue: every stop within SERVING_M, weighted by the lines that stop there. */
export function accessPoints(lines: readonly TransportLine[], venue: Location) {
  const points = new Map<string, { id: string; name: string; location: Location; share: number }>();
  for (const line of lines) {
    for (const stop of line.stops) {
      if (distanceMeters(venue, stop) > SERVING_M) continue;
      const p = points.get(stop.id) ?? { id: stop.id, name: stop.name, location: { lat: stop.lat, lon: stop.lon }, share: 0 };
      p.share += 1;
      points.set(stop.id, p);
    }
  }
  return [...points.values()];
}
