import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestOptions, StoredEvent } from '@vigie/rules';
import { hashEvent } from '../ingest/hash.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { Pseudonymiser } from '../ingest/pseudonymise.ts';
import { insertEvents, listEvents } from '../storage/events-repo.ts';
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

  describe('sent with the batch that stores them (a node that does not lead)', () => {
    const pipeline = () => new IngestPipeline(t.db, new Pseudonymiser('bus-test-key-0123456789', 'k1'), () => new Date(receivedAt));
    const live = (id: string, m: number) => ({ id, source: 'rtm', type: 'transport.delay', time: new Date(Date.parse(receivedAt) + m * 60_000).toISOString() });
    const any = { name: 'test', sources: null };
    const stored = async () => (await listEvents(t.db, { source: 'rtm', limit: 100 })).events.map((e) => e.id).sort();

    it('reach the leader at the commit even if nothing runs on this node after it (a crash right after the commit loses none)', async () => {
      const p = pipeline();
      const bus = new EngineBus(t.db);
      p.setAnnouncer((how) => async (tx, events) => { await bus.send(events, how, tx); return true; });
      // No listener for what is stored: what a node does after the commit never happens here.
      heard.length = 0;
      const result = await p.ingest([live('r1', 0), live('r2', 1)], any);
      expect(result.accepted).toBe(2);
      await eventually(() => (heard.length ? true : undefined));
      expect(heard.flatMap((h) => h.ids)).toEqual(['r1', 'r2']);
      // A batch holding a stored key goes in by the general statement, in a new transaction: sent once, only the new event.
      heard.length = 0;
      const told: ReadonlySet<StoredEvent>[] = [];
      p.onStored((_events, _how, announced) => told.push(announced));
      expect((await p.ingest([live('r2', 1), live('r3', 2)], any)).accepted).toBe(1);
      await eventually(() => (heard.length ? true : undefined));
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.flatMap((h) => h.ids)).toEqual(['r3']);
      expect(told.map((set) => [...set].map((e) => e.id))).toEqual([['r3']]);
    });

    it('an announcement that fails sends nothing and costs no event: the batch is stored without it', async () => {
      const p = pipeline();
      const bus = new EngineBus(t.db);
      p.setAnnouncer((how) => async (tx, events) => { await bus.send(events, how, tx); throw Object.assign(new Error('payload string too long'), { code: '22023' }); });
      const told: ReadonlySet<StoredEvent>[] = [];
      p.onStored((_events, _how, announced) => told.push(announced));
      heard.length = 0;
      expect(await p.ingest([live('r9', 5), live('r10', 6)], any)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]); // its notifications went with its rolled back transaction
      expect(told.map((set) => set.size)).toEqual([0]); // left to the node to send after the commit
      expect(await stored()).toEqual(expect.arrayContaining(['r9', 'r10']));
    });
  });
});
