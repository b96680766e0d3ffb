import type { MapSample, StoredEvent } from '@vigie/rules';

const VEHICLE_TYPE = 'transport.vehicle.position';
const MAX_EVENTS = 200;
const VEHICLE_TTL_MS = 5 * 60_000;

/**
 * Thins what moves for the map: the latest position per vehicle and the recent located
 * events, taken out once per flush.
 */
export class MapSampler {
  private vehicles = new Map<string, MapSample['vehicles'][number] & { seenAt: number }>();
  private events: MapSample['events'] = [];
  private dirty = false;

  add(events: StoredEvent[], now: number): void {
    for (const e of events) {
      if (!e.location) continue;
      this.dirty = true;
      if (e.type === VEHICLE_TYPE) {
        const id = String(e.attributes?.vehicleId ?? e.id);
        const line = e.attributes?.line;
        const bearing = e.attributes?.bearing;
        this.vehicles.set(id, {
          id, lat: e.location.lat, lon: e.location.lon, time: e.time, seenAt: now,
          ...(line !== undefined ? { line: String(line) } : {}),
          ...(typeof bearing === 'number' ? { bearing } : {}),
        });
      } else {
        this.events.push({ source: e.source, id: e.id, type: e.type, time: e.time, lat: e.location.lat, lon: e.location.lon, ...(e.severity ? { severity: e.severity } : {}) });
        if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
      }
    }
  }

  /** The sample to send now, or undefined when nothing moved since the last one. */
  take(now: number): MapSample | undefined {
    for (const [id, v] of this.vehicles) if (now - v.seenAt > VEHICLE_TTL_MS) { this.vehicles.delete(id); this.dirty = true; }
    if (!this.dirty) return undefined;
    this.dirty = false;
    const sample: MapSample = { vehicles: [...this.vehicles.values()].map(({ seenAt: _, ...v }) => v), events: this.events };
    this.events = [];
    return sample;
  }

  /** Current vehicles, for a client that just connected. */
  current(): MapSample {
    return { vehicles: [...this.vehicles.values()].map(({ seenAt: _, ...v }) => v), events: [] };
  }
}
