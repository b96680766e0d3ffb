import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestOptions, StoredEvent } from '@vigie/rules';
import { hashEvent } from '../ingest/hash.ts';
import { insertEvents } from '../storage/events-repo.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually } from '../testing/harness.ts';
import { postgresAvailable } from '../testing/services.ts';
import { EngineBus } from './engine-bus.ts';

const ready = await postgresAvailable();

describe.skipIf(!ready)('the engine bus (PostgreSQL NOTIFY/LISTEN)', () => {
  let t: TestDatabase;
  const heard: { ids: string[]; how: IngestOptions }[] = [];
  let listening: EngineBus;
  beforeAll(async () => {
    t = await postgresDatabase();
    listening = new EngineBus(t.db);
    await listening.listen({ wanted: () => true, events: (events, how) => heard.push({ ids: events.map((e) => e.id), how }), unreadable: () => {}, lost: () => {}, reconnected: () => {} });
  });
  afterAll(async () => {
    await listening?.close();
    await t?.drop();
  });

  const receivedAt = '2026-11-28T20:00:00.000Z';
  const event = (id: string, text = 'x'): StoredEvent => ({ id, source: 'csu', type: 'incident.fight', time: receivedAt, text, receivedAt });

  it('carries a batch in order, split under the payload limit; an event too large to travel is read back by its key', async () => {
    const big = event('big', 'é'.repeat(6000)); // 12 000 bytes in UTF-8
    await insertEvents(t.db, [{ event: big, ...hashEvent(big, receivedAt) }]);
    const batch = [...Array.from({ length: 60 }, (_, i) => event(`a${i}`, 'y'.repeat(300))), big, event('last')];
    heard.length = 0;
    await new EngineBus(t.db).send(batch, { imported: true });
    await eventually(() => (heard.flatMap((h) => h.ids).length === batch.length ? true : undefined));
    expect(heard.flatMap((h) => h.ids)).toEqual(batch.map((e) => e.id));
    expect(heard.length).toBeGreaterThan(3); // 60 × 400 bytes do not fit in one notification
    expect(heard.every((h) => h.how.imported)).toBe(true);
  });

  it('a live batch is told from an upload', async () => {
    heard.length = 0;
    await new EngineBus(t.db).send([event('live')], {});
    await eventually(() => (heard.length ? true : undefined));
    expect(heard).toEqual([{ ids: ['live'], how: {} }]);
  });
});
