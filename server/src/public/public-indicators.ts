import { ZoneIndex, type PublicIndicators, type Zone } from '@vigie/rules';
import { zonedToUtc } from '../time/zoned-time.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones } from '../storage/zones-repo.ts';
import { COUNTED_PATTERNS, countIndicators, NOT_INCIDENTS, publicWeek, type CountedEvents } from './indicators.ts';

export type PublicZoneMap = { type: 'FeatureCollection'; features: { type: 'Feature'; id: string; properties: { name: string; kind: string }; geometry: Zone['geometry'] }[] };

const HOUR = 3_600_000;

/**
 * One local day's stored events of the types counted, received before `publishedAt`, counted
 * per type and place (a few rows per place, not one per event); no vehicle position nor any
 * routine type read (COUNTED_PATTERNS); no FIWARE alert of a category that is no incident
 * (NOT_INCIDENTS). A day at a time, so that a week's reading never holds the database long.
 * The UTC range takes a few hours either side (any offset); the local date decides.
 */
async function dayCounts(db: SqlClient, date: string, timeZone: string, publishedAt: number): Promise<CountedEvents[]> {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = zonedToUtc({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, timeZone);
  return db.query<CountedEvents>(
    `SELECT type, $4::text AS day, lat, lon, count(*)::int AS n FROM events
      WHERE time >= $2 AND time < $3 AND to_char(time AT TIME ZONE $1, 'YYYY-MM-DD') = $4 AND received_at < $5
        AND type LIKE ANY($6::text[])
        AND NOT (type LIKE 'incident.%' AND lower(COALESCE(body->'attributes'->>'category', '')) = ANY($7::text[]))
      GROUP BY type, lat, lon`,
    [timeZone, new Date(start - 3 * HOUR).toISOString(), new Date(start + 27 * HOUR).toISOString(), date, new Date(publishedAt).toISOString(), COUNTED_PATTERNS, NOT_INCIDENTS],
  );
}

/** The zones counted in: the city's permanent ones (no warning's area). */
async function publicZones(db: SqlClient): Promise<Zone[]> {
  return (await listZones(db)).filter((z) => z.expiresAt === undefined && z.kind !== 'warning');
}

type ZoneList = { zones: Zone[]; signature: string; geojson: string };

/**
 * The public indicators (see `countIndicators`) of the week published (see `publicWeek`),
 * worked out once per week and again when the permanent zones change (not when a warning's
 * area comes or goes), with the events received before the week was due: the same figures
 * whenever, and on whichever node, they are worked out. One reading at a time whoever asks.
 */
export class PublicIndicatorsService {
  private cached: { week: string; zones: string; body: Promise<PublicIndicators> } | undefined;
  private zoneList: Promise<ZoneList> | undefined;

  /** `secret`: what the rounding draws are made from (see `publishedCount`): never published. */
  constructor(private readonly db: SqlClient, private readonly opts: { city: string; timeZone: string; now: () => Date; secret: Buffer }) {}

  /** The zones may have changed (any zone: see ChangeSync): read again at the next request, counted again only if the permanent ones did. */
  forget(): void {
    this.zoneList = undefined;
  }

  private zones(): Promise<ZoneList> {
    if (!this.zoneList) {
      const read = publicZones(this.db).then((zones): ZoneList => ({
        zones,
        signature: JSON.stringify(zones),
        geojson: JSON.stringify({ type: 'FeatureCollection', features: zones.map((z) => ({ type: 'Feature', id: z.id, properties: { name: z.name, kind: z.kind }, geometry: z.geometry })) } satisfies PublicZoneMap),
      }));
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
    const entry = { week: week.dates[0]!, zones: signature, body: this.compute(week, zones) };
    this.cached = entry;
    // A failed reading is not kept: the next request tries again.
    entry.body.catch(() => { if (this.cached === entry) this.cached = undefined; });
    return entry.body;
  }

  /** The zones the indicators count in, as GeoJSON text (boundaries are public facts), made once per reading of the zones. */
  async zoneMap(): Promise<string> {
    return (await this.zones()).geojson;
  }

  private async compute(week: { dates: string[]; publishedAt: number }, zones: Zone[]): Promise<PublicIndicators> {
    const rows: CountedEvents[] = [];
    for (const date of week.dates) rows.push(...(await dayCounts(this.db, date, this.opts.timeZone, week.publishedAt)));
    const counted = countIndicators(rows, week, zones, new ZoneIndex(zones), this.opts.secret);
    return { city: this.opts.city, timeZone: this.opts.timeZone, ...counted, publishedAt: new Date(week.publishedAt).toISOString() };
  }
}
