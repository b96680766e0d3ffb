import type { Event } from '../domain/event.ts';
import { cosLat } from '../geo/distance.ts';
import { cellAt } from '../geo/h3-cells.ts';
import type { ZoneIndex } from '../geo/zone-index.ts';
import type { CalendarEntry } from './calendar.ts';
import { parseIsoTime } from './iso-time.ts';
import { localClock, type LocalClock } from './local-time.ts';
import type { EvidenceRef } from '../domain/alert.ts';

/** What the engine knows about the city: its zones, its time zone, its events calendar. */
export type CityEnv = { zones: ZoneIndex; timeZone: string; calendar?: readonly CalendarEntry[] };

/** One event as rules see it: parsed once, with lazily computed derived facts. */
export class EventContext {
  readonly t: number;
  private zoneIds?: string[];
  private clock?: LocalClock;
  /** The H3 cell, as a list of keys, at one resolution (rules rarely use two), then any other. */
  private cellRes = -1;
  private cellList?: string[];
  private cells?: Map<number, string[]>;
  /** The rules this event's type concerns, set by the engine at arrival (rules may change before release). */
  candidates?: unknown;
  generation?: number;

  constructor(readonly event: Event, private readonly env: CityEnv, t?: number) {
    this.t = t ?? parseIsoTime(event.time);
  }

  private evidence?: EvidenceRef;
  /** This event as alert evidence (no free text), made once and shared by every rule. */
  get ref(): EvidenceRef {
    if (!this.evidence) {
      const { source, id, type, time, location } = this.event;
      this.evidence = location ? { source, id, type, time, location } : { source, id, type, time };
    }
    return this.evidence;
  }

  /** The type's first segment: `incident` for `incident.assault`. */
  get family(): string {
    const i = this.event.type.indexOf('.');
    return i < 0 ? this.event.type : this.event.type.slice(0, i);
  }

  /** Zones the event's location falls in (empty without a location): a list of its own. */
  get zones(): string[] {
    if (!this.zoneIds) {
      const loc = this.event.location;
      if (!loc) this.zoneIds = [];
      else if (this.zoneSetId >= 0) this.zoneIds = this.env.zones.zoneSet(this.zoneSetId).slice();
      else this.zoneIds = this.env.zones.zonesAt(loc.lat, loc.lon);
    }
    return this.zoneIds;
  }

  private zoneSetId = -1;
  /** The set of zones the event lies in, as `cityZones.zoneSetAt` numbers it (0: none): no list made. */
  get zoneSet(): number {
    if (this.zoneSetId < 0) {
      const loc = this.event.location;
      this.zoneSetId = loc ? this.env.zones.zoneSetAt(loc.lat, loc.lon) : 0;
    }
    return this.zoneSetId;
  }

  /** The H3 cell of the event's location at `res`, or undefined without a location. */
  cell(res: number): string | undefined {
    return this.cellKeys(res)[0];
  }

  /**
   * The event's H3 cell at `res` as a list of keys (empty without a location): computed once
   * per event and resolution, and the very list every rule grouping by it gets (they only read it).
   */
  cellKeys(res: number): string[] {
    if (res === this.cellRes) return this.cellList!;
    let list = this.cells?.get(res);
    if (!list) {
      const loc = this.event.location;
      list = loc ? [cellAt(loc.lat, loc.lon, res)] : [];
      if (this.cellRes === -1) {
        this.cellRes = res;
        this.cellList = list;
      } else (this.cells ??= new Map()).set(res, list);
    }
    return list;
  }

  private cos?: number;
  /** cos(latitude) of the event's location, as distance computations use it (NaN without a location). */
  get cosLat(): number {
    return (this.cos ??= this.event.location ? cosLat(this.event.location.lat) : NaN);
  }

  /** Wall-clock fields in the city's time zone. */
  get local(): LocalClock {
    return (this.clock ??= localClock(this.t, this.env.timeZone));
  }

  get cityZones(): ZoneIndex {
    return this.env.zones;
  }

  get calendar(): readonly CalendarEntry[] {
    return this.env.calendar ?? [];
  }
}
