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
let clock = Date.parse('2026-12-02T12:00:00Z'); // a Wednesday: the week published is 23–29 November, due Monday 30, 06:00
const service = () => new PublicIndicatorsService(database.db, { city: 'Marseille', timeZone: 'Europe/Paris', now: () => new Date(clock), secret: Buffer.from('test') });

let n = 0;
/** `count` thefts at `time`, received at `receivedAt` (at once by default), inside the zone. */
async function thefts(count: number, time: string, receivedAt = time): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = `t${n++}`;
    await database.db.query(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash) VALUES ('csu', $1, 'incident.theft', $2, $3, 43.25, 5.35, NULL, $4, 'h')`,
      [id, time, receivedAt, JSON.stringify({ id, source: 'csu', type: 'incident.theft', time })],
    );
  }
}

beforeAll(async () => {
  database = await memoryDatabase();
  await upsertZones(database.db, [square('a', 'Noailles')]);
});
afterAll(async () => { await database?.drop(); });

describe('PublicIndicatorsService', () => {
  it('counts a week by its days on the city clock, with what came in before it was due, however late it is read', async () => {
    await thefts(10, '2026-11-25T12:00:00+01:00');
    await thefts(5, '2026-11-29T23:30:00+01:00'); // Sunday night, 22:30 UTC
    await thefts(5, '2026-11-30T00:30:00+01:00'); // Monday already, the next week
    await thefts(5, '2026-11-26T12:00:00+01:00', '2026-11-30T06:30:00+01:00'); // received after the week was due
    const s = service();
    const [first, second] = await Promise.all([s.get(), s.get()]);
    expect(first).toBe(second);
    expect(first.totals.incident).toBe(15);
    expect(first.days.map((d) => d.counts.incident)).toEqual([0, 0, 10, 0, 0, 0, 5]);
    expect(first.publishedAt).toBe('2026-11-30T05:00:00.000Z');
  });

  it('is counted again when the permanent zones change, not when a warning comes; the same figures either way', async () => {
    const s = service();
    const first = await s.get();
    await upsertZones(database.db, [square('w', 'Vigilance vent', 'warning', '2099-01-01T00:00:00Z')]);
    s.forget();
    expect(await s.get()).toBe(first);
    await upsertZones(database.db, [square('a', 'Noailles-Belsunce')]);
    s.forget();
    const renamed = await s.get();
    expect(renamed).not.toBe(first);
    expect(renamed.zones).toEqual([{ id: 'a', name: 'Noailles-Belsunce', kind: 'quartier', counts: { ...first.zones[0]!.counts } }]);
    expect(renamed.totals).toEqual(first.totals);
    expect(JSON.parse(await s.zoneMap()).features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Noailles-Belsunce']);
  });

  it('moves to the next week on the Monday at 06:00, city time', async () => {
    const s = service();
    clock = Date.parse('2026-12-07T04:59:00Z'); // Monday 05:59 in Paris
    expect((await s.get()).from).toBe('2026-11-23');
    clock = Date.parse('2026-12-07T05:00:00Z');
    const next = await s.get();
    expect([next.from, next.to, next.totals.incident]).toEqual(['2026-11-30', '2026-12-06', 5]);
  });
});
