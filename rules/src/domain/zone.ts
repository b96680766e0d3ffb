import { z } from 'zod';

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
/** A linear ring (RFC 7946 3.1.6): four positions or more, the last the same as the first. */
const Ring = z.array(Position).min(4).refine((r) => r.length < 4 || (r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1]), {
  message: 'a ring must end where it starts: its last position the same as its first',
});
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(Ring).min(1)).min(1),
});
export const ZoneGeometry = z.discriminatedUnion('type', [PolygonGeometry, MultiPolygonGeometry]);
export type ZoneGeometry = z.infer<typeof ZoneGeometry>;
/**
 * The most positions a zone's boundary may have, all rings together, as Vigie takes zones in
 * (a GeoJSON import, a CAP warning's area): every event is tested against the boundary of each
 * zone around it, so a boundary drawn to the metre (hundreds of thousands of positions) slows
 * the whole engine. Marseille's most detailed quartier has 6 796.
 */
export const MAX_ZONE_POSITIONS = 20_000;

/** A named area of the city: a district, a sector, an event perimeter. */
export const Zone = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  kind: z.string().min(1).max(50),
  tags: z.array(z.string()).default([]),
  geometry: ZoneGeometry,
  /** When a temporary zone (a CAP warning's area, kind `warning`) ends; absent for the city's own zones. */
  expiresAt: z.string().optional(),
});
export type Zone = z.infer<typeof Zone>;

/** A named point of the city: a station, a stadium, a hospital. */
export const Place = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  lat: z.number(),
  lon: z.number(),
});
export type Place = z.infer<typeof Place>;
