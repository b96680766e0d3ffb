import type { Event } from '../domain/event.ts';
import type { ZoneIndex } from '../geo/zone-index.ts';
import { localClock, type LocalClock } from './local-time.ts';

/** What the engine knows about the city: its zones and its time zone. */
export type CityEnv = { zones: ZoneIndex; timeZone: string };

/** One event as rules see it: parsed once, with lazily computed derived facts. */
export class EventContext {
  readonly t: number;
  private zoneIds?: string[];
  private clock?: LocalClock;

  constructor(readonly event: Event, private readonly env: CityEnv) {
    this.t = Date.parse(event.time);
  }

  /** Zones the event's location falls in (empty without a location). */
  get zones(): string[] {
    if (!this.zoneIds) {
      const loc = this.event.location;
      this.zoneIds = loc ? this.env.zones.zonesAt(loc.lat, loc.lon) : [];
    }
    return this.zoneIds;
  }

  /** Hour (0–23) and ISO weekday (1 = Monday) in the city's time zone. */
  get local(): LocalClock {
    return (this.clock ??= localClock(this.t, this.env.timeZone));
  }

  get cityZones(): ZoneIndex {
    return this.env.zones;
  }
}
