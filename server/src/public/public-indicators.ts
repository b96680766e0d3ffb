import { PUBLIC_CATEGORIES, ZoneIndex, type PublicIndicators, type Zone } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones } from '../storage/zones-repo.ts';
import { countIndicators, NOT_INCIDENTS, publicWeek, type CountedEvents } from './indicators.ts';

export type PublicZoneMap = { type: 'FeatureCollection'; features: { type: 'Feature'; id: string; properties: { name: string; kind: string }; geometry: Zone['geometry'] }[] };

/** The families counted, for the query (the categories are those families, less some types: see `categoryOf`). */
const FAMILIES = PUBLIC_CATEGORIES.map((c) => `${c}.%`);

/**
 * The week's stored events of the public families, counted per type, local day and place (a
 * few rows per place, not one per event); no vehicle position read; no FIWARE alert of a
 * category that is no incident (see NOT_INCIDENTS). The UTC range takes a day either side of
 * the week: the local dates decide.
 */
async function weekCounts(db: SqlClient, dates: string[], timeZone: string): Promise<CountedEvents[]> {
  const from = dates[0]!, to = dates[dates.length - 1]!;
  const day = (date: string, shift: number) => new Date(Date.parse(`${date}T00:00:00Z`) + shift * 86_400_000).toISOString();
  return db.query<CountedEvents>(
    `SELECT type, to_char(time AT TIME ZONE $1, 'YYYY-MM-DD') AS day, lat, lon, count(*)::int AS n FROM events
      WHERE time >= $2 AND time < $3 AND (time AT TIME ZONE $1)::date BETWEEN $4::date AND $5::date
        AND type LIKE ANY($6::text[]) AND type NOT LIKE 'transport.vehicle.%'
        AND NOT (type LIKE 'incident.%' AND COALESCE(body->'attributes'->>'category', '') = ANY($7::text[]))
      GROUP BY 1, 2, 3, 4`,
    [timeZone, day(from, -1), day(to, 2), from, to, FAMILIES, NOT_INCIDENTS],
  );
}

/** The zones counted in: the city's permanent ones (no warning's area). */
async function publicZones(db: SqlClient): Promise<Zone[]> {
  return (await listZones(db)).filter((z) => z.expiresAt === undefined && z.kind !== 'warning');
}

/**
 * The public indicators (see `countIndicators`) of the week published (see `publicWeek`),
 * worked out once per week and again when the permanent zones change (not when a warning's
 * area comes or goes); one reading at a time whoever asks. Each node works them out on its own.
 */
export class PublicIndicatorsService {
  private cached: { week: string; zones: string; body: Promise<PublicIndicators> } | undefined;
  private zoneList: Promise<{ zones: Zone[]; signature: string }> | undefined;

  constructor(private readonly db: SqlClient, private readonly opts: { city: string; timeZone: string; now: () => Date }) {}

  /** The zones may have changed (any zone: see ZonesSync): read again at the next request, counted again only if the permanent ones did. */
  forget(): void {
    this.zoneList = undefined;
  }

  private zones(): Promise<{ zones: Zone[]; signature: string }> {
    if (!this.zoneList) {
      const read = publicZones(this.db).then((zones) => ({ zones, signature: JSON.stringify(zones) }));
      this.zoneList = read;
      read.catch(() => { if (this.zoneList === read) this.zoneList = undefined; });
    }
    return this.zoneList;
  }

  async get(): Promise<PublicIndicators> {
    const now = this.opts.now().getTime();
    const week = publicWeek(now, this.opts.timeZone);
    const { zones, signature } = await this.zones();
    const cached = this.cached;
    if (cached && cached.week === week.dates[0] && cached.zones === signature) return cached.body;
    const entry = { week: week.dates[0]!, zones: signature, body: this.compute(now, week, zones) };
    this.cached = entry;
    // A failed reading is not kept: the next request tries again.
    entry.body.catch(() => { if (this.cached === entry) this.cached = undefined; });
    return entry.body;
  }

  /** The zones the indicators count in, as GeoJSON (boundaries are public facts). */
  async zoneMap(): Promise<PublicZoneMap> {
    const { zones } = await this.zones();
    return { type: 'FeatureCollection', features: zones.map((z) => ({ type: 'Feature', id: z.id, properties: { name: z.name, kind: z.kind }, geometry: z.geometry })) };
  }

  private async compute(now: number, week: { dates: string[] }, zones: Zone[]): Promise<PublicIndicators> {
    const rows = await weekCounts(this.db, week.dates, this.opts.timeZone);
    const counted = countIndicators(rows, week, zones, new ZoneIndex(zones));
    return { city: this.opts.city, timeZone: this.opts.timeZone, ...counted, generatedAt: new Date(now).toISOString() };
  }
}
