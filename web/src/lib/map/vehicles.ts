import type { MapSample } from '@vigie/rules';

export type Vehicle = MapSample['vehicles'][number];
export type SeenVehicle = Vehicle & { seenAt: number };

/** A vehicle not seen in any sample for this long leaves the map. */
export const VEHICLE_TTL_MS = 2 * 60_000;

/**
 * The vehicles to show after a sample arrives at `now`: the sample's positions replace the
 * known ones by id, and vehicles not seen for `ttlMs` are dropped (samples may be partial).
 */
export function updateVehicles(
  known: ReadonlyMap<string, SeenVehicle>,
  sample: readonly Vehicle[],
  now: number,
  ttlMs = VEHICLE_TTL_MS,
): Map<string, SeenVehicle> {
  const next = new Map<string, SeenVehicle>();
  for (const [id, vehicle] of known) if (now - vehicle.seenAt <= ttlMs) next.set(id, vehicle);
  for (const vehicle of sample) next.set(vehicle.id, { ...vehicle, seenAt: now });
  return next;
}
