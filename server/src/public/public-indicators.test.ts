import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Zone } from '@vigie/rules';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { upsertZones } from '../storage/zones-repo.ts';
import { PublicIndicatorsService } from './public-indicators.ts';

const square = (id: string, name: string, kind = 'quartier', expiresAt?: string): Zone & { expiresAt?: string } => ({
  id, name, kind, tags: [], ...(expiresAt ? { expiresAt } : {}),
  geometry: { type: 'Polygon', coordinates: [[[5.3, 43.2], [5.4, 43.2], [5.4, 43.3], [5.3, 43.3], [5.3, 43.2]]] },
});

let database: TestDatabase;
let clock = Date.parse('2026-12-02T12:00:00Z'); // a Wednesday: the week published is 23–29 November
const service = () => new PublicIndicatorsService(database.db, { city: 'Marseille', timeZone: 'Europe/Paris', now: () => new Date(clock) });

async function thefts(n: number, time: string, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const body = { id: `t${i}`, source: 'csu', type: 'incident.theft', time, location: { lat: 43.25, lon: 5.35 } };
    await database.db.query(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash) VALUES ('csu', $1, 'incident.theft', $2, $2, 43.25, 5.35, NULL, $3, 'h')`,
      [body.id, time, JSON.stringify(body)],
    );
  }
}

beforeAll(async () => {
  database = await memoryDatabase();
  await upsertZones(database.db, [square('a', 'Noailles')]);
});
afterAll(async () => { await database?.drop(); });

describe('PublicIndicatorsService', () => {
  it('counts a week once, whoever asks and whatever comes in late; again when the permanent zones change, not when a warning comes', async () => {
    await thefts(10, '2026-11-25T12:00:00+01:00');
    const s = service();
    const [first, second] = await Promise.all([s.get(), s.get()]);
    expect(first).toBe(second);
    expect(first.totals.incident).toBe(10);
    await thefts(5, '2026-11-25T13:00:00+01:00', 10); // late: not in the week already published
    s.forget();
    expect((await s.get()).totals.incident).toBe(10);
    await upsertZones(database.db, [square('w', 'Vigilance vent', 'warning', '2099-01-01T00:00:00Z')]);
    s.forget();
    expect(await s.get()).toBe(first);
    await upsertZones(database.db, [square('a', 'Noailles-Belsunce')]);
    s.forget();
    const renamed = await s.get();
    expect(renamed.totals.incident).toBe(15);
    expect(renamed.zones.map((z) => z.name)).toEqual(['Noailles-Belsunce']);
    expect((await s.zoneMap()).features.map((f) => f.properties.name)).toEqual(['Noailles-Belsunce']);
  });

  it('moves to the next week on the Monday at 06:00, city time', async () => {
    const s = service();
    expect((await s.get()).from).toBe('2026-11-23');
    clock = Date.parse('2026-12-07T04:59:00Z'); // Monday 05:59 in Paris
    expect((await s.get()).from).toBe('2026-11-23');
    clock = Date.parse('2026-12-07T05:00:00Z');
    const next = await s.get();
    expect([next.from, next.to, next.totals.incident]).toEqual(['2026-11-30', '2026-12-06', 0]);
  });
});
