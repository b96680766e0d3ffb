import { PUBLIC_CATEGORIES, ZoneIndex, type PublicIndicators } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones } from '../storage/zones-repo.ts';
import { countIndicators, publicPeriod, type CountedEvent } from './indicators.ts';

/** The families counted, for the query (the categories are those families, less some types: see `categoryOf`). */
const FAMILIES = PUBLIC_CATEGORIES.map((c) => `${c}.%`);

/**
 * The public indicators (see `countIndicators`), worked out once per day on the city's clock
 * (the period only moves at midnight) and again after the zones change; one reading at a time
 * whoever asks.
 */
export class PublicIndicatorsService {
  private cached: { day: string; body: Promise<PublicIndicators> } | undefined;

  constructor(private readonly db: SqlClient, private readonly opts: { city: string; timeZone: string; now: () => Date }) {}

  get(): Promise<PublicIndicators> {
    const now = this.opts.now().getTime();
    const period = publicPeriod(now, this.opts.timeZone);
    const day = period.dates[period.dates.length - 1]!;
    if (this.cached?.day !== day) {
      const body = this.compute(now, period);
      this.cached = { day, body };
      // A failed reading is not kept: the next request tries again.
      body.catch(() => { if (this.cached?.body === body) this.cached = undefined; });
    }
    return this.cached.body;
  }

  /** The zones changed (an import): the next request counts again. */
  forget(): void {
    this.cached = undefined;
  }

  private async compute(now: number, period: ReturnType<typeof publicPeriod>): Promise<PublicIndicators> {
    const from = new Date(period.starts[0]!).toISOString(), to = new Date(period.starts[period.starts.length - 1]!).toISOString();
    const [rows, allZones] = await Promise.all([
      this.db.query<CountedEvent>(
        `SELECT type, (extract(epoch FROM time) * 1000)::float8 AS time, lat, lon FROM events
          WHERE time >= $1 AND time < $2 AND type LIKE ANY($3::text[])`,
        [from, to, FAMILIES],
      ),
      listZones(this.db),
    ]);
    const zones = allZones.filter((z) => z.expiresAt === undefined && z.kind !== 'warning');
    const counted = countIndicators(rows, period, zones, new ZoneIndex(zones));
    return { city: this.opts.city, timeZone: this.opts.timeZone, ...counted, generatedAt: new Date(now).toISOString() };
  }
}
