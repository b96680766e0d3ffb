import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
import { insertEvents } from '../storage/events-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { incidentsVsUsual } from './figures.ts';

const NOW = new Date('2026-11-28T21:00:00Z');
const WEEK = 7 * 86_400_000;
let t: TestDatabase;
beforeAll(async () => { t = await memoryDatabase(); });
afterAll(async () => { await t?.drop(); });

const at = (ms: number, id: string): StoredEvent => ({ id, source: 'csu', type: 'incident.theft', time: new Date(ms).toISOString(), receivedAt: NOW.toISOString() });
const store = (events: StoredEvent[]) => insertEvents(t.db, events.map((event) => ({ event, hash: event.id })));

describe('the wall\'s incidents against the usual', () => {
  it('has no usual without history: a new city\'s first week is not compared with zeros', async () => {
    await store([at(NOW.getTime() - 10 * 60_000, 'now-1'), at(NOW.getTime() - 20 * 60_000, 'now-2')]);
    expect(await incidentsVsUsual(t.db, NOW)).toMatchObject({ lastHour: 2, usual: 0, historyWeeks: 0 });
  });

  it('averages over the weeks the store holds: the same hour two weeks back counts, weeks before the first event do not', async () => {
    await store([at(NOW.getTime() - 2 * WEEK - 10 * 60_000, 'w2-1'), at(NOW.getTime() - 2 * WEEK - 5 * 60_000, 'w2-2'), at(NOW.getTime() - WEEK - 5 * 60_000, 'w1-1')]);
    const r = await incidentsVsUsual(t.db, NOW);
    expect(r).toMatchObject({ lastHour: 2, historyWeeks: 2 });
    expect(r.usual).toBe(1.5); // (1 + 2) / 2, not / the full window of weeks
  });
});
