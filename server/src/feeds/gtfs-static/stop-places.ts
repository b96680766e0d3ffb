import type { SqlClient } from '../../storage/sql-client.ts';

/** A stop's position, and its name when the import gave one. */
type Stop = { lat: number; lon: number; name?: string };

/**
 * The transit stops imported from GTFS static (`places` of kind `transit-stop`, id
 * `<source>:<stop_id>`), held in memory per source. A feed's event that names a stop
 * (`attributes.stopId`: a GTFS-RT delay at its next stop, a service alert or a SIRI situation
 * at one) but carries no position of its own is placed at that stop, so that it is on the map
 * and in the zones and spatial rules (a transport incident and a crowd at the same station),
 * and given the stop's name (`attributes.stopName`, unless it has one), for operators and
 * alert titles. An event with a position keeps it; a stop not imported leaves the event as it is.
 */
export class StopPlaces {
  private bySource = new Map<string, Map<string, Stop>>();
  /** The loads one after the other: one started before an import committed cannot end after the import's own and bring the old stops back. */
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlClient) {}

  /** Reads every imported stop again (at start, after an import, and now and then for the imports of other nodes). */
  load(): Promise<void> {
    const next = this.loading.catch(() => {}).then(() => this.read());
    this.loading = next;
    return next;
  }

  private async read(): Promise<void> {
    const rows = await this.db.query<{ id: string; name: string | null; lat: number; lon: number }>("SELECT id, name, lat, lon FROM places WHERE kind = 'transit-stop'");
    const next = new Map<string, Map<string, Stop>>();
    for (const r of rows) {
      // A source id holds no ':' (see SOURCE_RE), a stop id may.
      const at = r.id.indexOf(':');
      if (at <= 0) continue;
      const source = r.id.slice(0, at);
      let stops = next.get(source);
      if (!stops) next.set(source, (stops = new Map()));
      const name = r.name?.trim().slice(0, MAX_NAME);
      stops.set(r.id.slice(at + 1), name ? { lat: Number(r.lat), lon: Number(r.lon), name } : { lat: Number(r.lat), lon: Number(r.lon) });
    }
    this.bySource = next;
  }

  /** How many stops are known, all sources together. */
  get size(): number {
    let n = 0;
    for (const stops of this.bySource.values()) n += stops.size;
    return n;
  }

  /** Where a source's stop is, and its name, if it was imported. */
  at(source: string, stopId: string): Stop | undefined {
    return this.bySource.get(source)?.get(stopId);
  }

  /**
   * A decoded item as Vigie places it, or undefined when its location is not Vigie's to say (it
   * names no stop, or carries a location of its own; none is placed before a stop is imported).
   * Placed: a copy with the `location` of the known stop of its source it names (and its
   * `attributes.stopName`, unless the item names it), or the item itself when that stop is not
   * known (or no longer: a new import dropped it), untouched. Either way, sent again placed
   * otherwise or named otherwise, it is the same event (see `ItemMarks.placed`).
   */
  place(item: unknown, source: string): unknown {
    if (this.bySource.size === 0 || typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const o = item as { source?: unknown; location?: unknown; attributes?: { stopId?: unknown; stopName?: unknown } };
    if (o.location !== undefined && o.location !== null) return undefined;
    const stopId = o.attributes?.stopId;
    if (typeof stopId !== 'string' && typeof stopId !== 'number') return undefined;
    const where = this.at(typeof o.source === 'string' ? o.source : source, String(stopId));
    if (!where) return item;
    const location = { lat: where.lat, lon: where.lon };
    return where.name === undefined || o.attributes!.stopName !== undefined
      ? { ...o, location }
      : { ...o, location, attributes: { ...o.attributes, stopName: where.name } };
  }
}

/** An attribute's longest text (see `Attributes`). */
const MAX_NAME = 1000;
