import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
import { insertEvents } from '../storage/events-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { acceptedTypes, eventPages, globToLike } from './event-pages.ts';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (id: string, ms: number): StoredEvent => ({ id, source: 'csu', type: 'incident.theft', time: new Date(T0 + ms).toISOString(), receivedAt: new Date(T0 + ms).toISOString() });

describe('reading stored events by time in pages', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await memoryDatabase();
    // 3 events at the same instant straddle a page boundary; 5 more share another instant (a page of one instant).
    // c4 is 0.5 ms after c1–c3: the same millisecond, so the same page.
    const c4 = { ...at('c4', 2000), time: new Date(T0 + 2000).toISOString().replace('Z', '500Z') };
    const events = [at('a', 0), at('b', 1000), at('c1', 2000), at('c2', 2000), at('c3', 2000), c4, at('d', 3000),
      ...['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => at(id, 4000)), at('f', 5000), at('outside', 86_400_000)];
    await insertEvents(t.db, events.map((event) => ({ event, hash: event.id })));
  });
  afterAll(() => t?.drop());

  it('reads each event of the period exactly once, oldest first, whatever the page size', async () => {
    for (const size of [1, 2, 3, 4, 5, 100]) {
      const pages: string[][] = [];
      for await (const p of eventPages(t.db, new Date(T0), new Date(T0 + 60_000), size)) pages.push(p.map((e) => e.id));
      const ids = pages.flat();
      expect([...ids].sort()).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'c4', 'd', 'e1', 'e2', 'e3', 'e4', 'e5', 'f']);
      const times = ids.map((id) => (id === 'a' ? 0 : 'bcdef'.indexOf(id[0]!) + 1));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      // one instant never straddles two pages
      for (const instant of ['c', 'e']) expect(pages.filter((p) => p.some((id) => id.startsWith(instant))).length).toBe(1);
    }
  });

  it('keeps only the types the rules can accept, when they all say', async () => {
    await insertEvents(t.db, [{ event: { ...at('x1', 500), type: 'accident.bike' }, hash: 'x1' }, { event: { ...at('x2', 600), type: 'acc%dent.odd' }, hash: 'x2' }]);
    const ids: string[] = [];
    for await (const p of eventPages(t.db, new Date(T0), new Date(T0 + 60_000), 3, ['accident.*', 'incident.thef?'])) ids.push(...p.map((e) => e.id));
    expect(ids.filter((id) => id.startsWith('x'))).toEqual(['x1']);
    expect(ids.length).toBe(14);
    expect(globToLike('a_b%c.*?')).toBe('a\\_b\\%c.%_');
    expect(acceptedTypes([{ types: ['a.*'] }, { types: ['b', 'a.*'] }])).toEqual(['a.*', 'b']);
    expect(acceptedTypes([{ types: ['a.*'] }, {}])).toBeUndefined();
  });

  it('excludes the end of the period and reads nothing from an empty one', async () => {
    const pages: StoredEvent[][] = [];
    for await (const p of eventPages(t.db, new Date(T0 + 10_000), new Date(T0 + 86_400_000), 10)) pages.push(p);
    expect(pages).toEqual([]);
  });
});
