import type { MapSample, StoredEvent } from '@vigie/rules';

const VEHICLE_TYPE = 'transport.vehicle.position';
const MAX_EVENTS = 200;
const VEHICLE_TTL_MS = 5 * 60_000;
/**
 * How often a sample carries every vehicle, not only those that moved: a vehicle whose feed
 * repeats the same position (stored once) stays on the clients' maps, which drop one not
 * seen for two minutes.
 */
export const FULL_EVERY_MS = 60_000;

type Vehicle = MapSample['vehicles'][number];

/**
 * Thins what moves for the map: per flush, the latest position of each vehicle that moved
 * since the last one (every vehicle once a minute) and the recent located events. A client
 * that connects gets `current()` (every vehicle) once.
 */
export class MapSampler {
  private vehicles = new Map<string, Vehicle & { seenAt: number }>();
  /** Vehicles with a new position since the last sample. */
  private moved = new Set<string>();
  private events: MapSample['events'] = [];
  private lastFull = -Infinity;

  add(events: StoredEvent[], now: number): void {
    for (const e of events) {
      if (!e.location) continue;
      if (e.type === VEHICLE_TYPE) {
        const id = String(e.attributes?.vehicleId ?? e.id);
        const line = e.attributes?.line;
        const bearing = e.attributes?.bearing;
        this.vehicles.set(id, {
          id, lat: e.location.lat, lon: e.location.lon, time: e.time, seenAt: now,
          ...(line !== undefined ? { line: String(line) } : {}),
          ...(typeof bearing === 'number' ? { bearing } : {}),
        });
        this.moved.add(id);
      } else {
        this.events.push({ source: e.source, id: e.id, type: e.type, time: e.time, lat: e.location.lat, lon: e.location.lon, ...(e.severity ? { severity: e.severity } : {}) });
        if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
      }
    }
  }

  /** The sample to send now, or undefined when there is nothing to send. */
  take(now: number): MapSample | undefined {
    for (const [id, v] of this.vehicles) {
      if (now - v.seenAt > VEHICLE_TTL_MS) {
        this.vehicles.delete(id);
        this.moved.delete(id);
      }
    }
    const full = now - this.lastFull >= FULL_EVERY_MS && this.vehicles.size > 0;
    if (!full && this.moved.size === 0 && this.events.length === 0) return undefined;
    if (full) this.lastFull = now;
    const vehicles = full ? this.current().vehicles : [...this.moved].map((id) => plain(this.vehicles.get(id)!));
    const sample: MapSample = { vehicles, events: this.events };
    this.moved.clear();
    this.events = [];
    return sample;
  }

  /** Every vehicle, for a client that just connected. */
  current(): MapSample {
    return { vehicles: [...this.vehicles.values()].map(plain), events: [] };
  }
}

const plain = ({ seenAt: _, ...v }: Vehicle & { seenAt: number }): Vehicle => v;
