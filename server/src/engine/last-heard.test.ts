import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertEvents } from '../storage/events-repo.ts';
import { flushFeedMinutes } from '../storage/feed-minutes-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { lastHeardBefore } from './last-heard.ts';

let t: TestDatabase;
beforeEach(async () => { t = await memoryDatabase(); });
afterEach(async () => { await t.drop(); });

const AT = Date.parse('2026-11-28T20:00:00Z');
const row = (source: string, id: string, minute: number, type = 'x.y') => {
  const time = new Date(AT + minute * 60_000).toISOString();
  return { event: { id, source, type, time, receivedAt: time }, hash: id };
};

it('gives each source\'s newest live event at or before a time, of the types asked, and none of a source heard from long ago', async () => {
  await insertEvents(t.db, [row('a', 'a1', 0), row('a', 'a2', 10, 'z.q'), row('b', 'b1', 5), row('b', 'b2', 50), row('old', 'o1', -40 * 86_400 / 60)]);
  await insertEvents(t.db, [row('b', 'b-up', 20)], { imported: true }); // an upload: not b speaking
  await insertEvents(t.db, [row('a', 'a-re', 25)], { replayed: true }); // a replayed dead letter: nor a
  await flushFeedMinutes(t.db);
  const ids = async (types?: string[]) => (await lastHeardBefore(t.db, new Date(AT + 30 * 60_000), types)).map((e) => e.id).sort();
  expect(await ids()).toEqual(['a2', 'b1']);
  expect(await ids(['x.*'])).toEqual(['a1', 'b1']);
  expect(await ids(['nothing.*'])).toEqual([]);
});
