import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { addDeadLetter, listDeadLetters, purgeDeadLetters } from './dead-letters.ts';

let t: TestDatabase;
beforeAll(async () => { t = await memoryDatabase(); });
afterAll(async () => { await t?.drop(); });

const NOW = new Date('2026-12-01T04:00:00Z');
const letter = (daysAgo: number) => ({
  at: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(), format: 'siri', source: 'rtm', sender: 'feed:rtm',
  code: 'VIGIE_FEED_MALFORMED' as const, reason: `sent ${daysAgo} days ago`, rejected: [], payload: 'sealed',
});

describe('dead letters\' retention', () => {
  it('deletes those older than the days kept, replayed or not, and none when the days are 0', async () => {
    for (const d of [0, 29, 31, 400]) await addDeadLetter(t.db, letter(d));
    expect(await purgeDeadLetters(t.db, NOW, 0)).toBe(0);
    expect(await purgeDeadLetters(t.db, NOW, 30)).toBe(2);
    expect((await listDeadLetters(t.db, { limit: 10 })).map((d) => d.reason)).toEqual(['sent 29 days ago', 'sent 0 days ago']);
  });
});
