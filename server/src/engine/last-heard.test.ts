import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertEvents } from '../storage/events-repo.ts';
import { flushFeedMinutes, purgeFeedMinutes } from '../storage/feed-minutes-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { lastHeardBefore, SCAN_PER_SOURCE } from './last-heard.ts';

let t: TestDatabase;
beforeEach(async () => { t = await memoryDatabase(); });
afterEach(async () => { await t.drop(); });

const AT = Date.parse('2026-11-28T20:00:00Z');
const DAY = 86_400_000;
const row = (source: string, id: string, minute: number, type = 'x.y', receivedMinute = minute) => ({
  event: { id, source, type, time: new Date(AT + minute * 60_000).toISOString(), receivedAt: new Date(AT + receivedMinute * 60_000).toISOString() },
  hash: id,
});

it('gives the newest live event of each source listed at or before a time, of the types asked', async () => {
  await insertEvents(t.db, [row('a', 'a1', 0), row('a', 'a2', 10, 'z.q'), row('b', 'b1', 5), row('b', 'b2', 50), row('old', 'o1', -40 * DAY / 60_000)]);
  await insertEvents(t.db, [row('c', 'c1', -3 * DAY / 60_000)]); // three days ago: gone from feed minutes, still listed
  // A time with microseconds (a feed may send them).
  await insertEvents(t.db, [{ event: { id: 'm1', source: 'm', type: 'x.y', time: new Date(AT + 60_000).toISOString().replace('Z', '456Z'), receivedAt: new Date(AT + 60_000).toISOString() }, hash: 'm1' }]);
  await insertEvents(t.db, [row('a', 'a-up', 10, 'x.y', 12)], { imported: true }); // an upload stamped as a's newest: not a speaking
  await insertEvents(t.db, [row('d', 'd-re', 1, 'x.y', 20)], { replayed: true }); // a replayed dead letter only: d never spoke
  await flushFeedMinutes(t.db);
  await purgeFeedMinutes(t.db, new Date(AT));
  const ids = async (types?: string[]) => (await lastHeardBefore(t.db, new Date(AT + 30 * 60_000), types)).map((e) => e.id).sort();
  // b's newest before the time (it spoke again after it: that is in the span); old is no longer listed.
  expect(await ids()).toEqual(['a2', 'b1', 'c1', 'm1']);
  expect(await ids(['z.*'])).toEqual(['a2']);
  // a still sends z.q, but its last x.y is a1: a rule of x.* learns of a from it.
  expect(await ids(['x.*'])).toEqual(['a1', 'b1', 'c1', 'm1']);
});

it('reads at most SCAN_PER_SOURCE of a source\'s events back from the time for those of the types asked', async () => {
  const many = Array.from({ length: SCAN_PER_SOURCE }, (_, i) => row('bus', `s${i}`, 20 - i / 1000, 'avl.status'));
  await insertEvents(t.db, [row('bus', 'p1', 0, 'avl.position'), ...many]);
  await flushFeedMinutes(t.db);
  expect(await lastHeardBefore(t.db, new Date(AT + 30 * 60_000), ['avl.position'])).toEqual([]);
  expect((await lastHeardBefore(t.db, new Date(AT + 30 * 60_000), ['avl.status'])).map((e) => e.id)).toEqual(['s0']);
});
