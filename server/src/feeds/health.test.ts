import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
import { insertEvents } from '../storage/events-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { feedHealth } from './health.ts';

const NOW = new Date('2026-11-28T21:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

let t: TestDatabase;
beforeAll(async () => { t = await memoryDatabase(); });
afterAll(async () => { await t?.drop(); });

/** One message of `n` events from `source`, received `minutes` ago. */
async function message(source: string, minutes: number, n = 1, time = ago(minutes)) {
  const events: StoredEvent[] = Array.from({ length: n }, (_, i) => ({ id: `${source}-${minutes}-${i}`, source, type: 'feed.message', time, receivedAt: ago(minutes) }));
  await insertEvents(t.db, events.map((event) => ({ event, hash: event.id })));
}

describe('feed health', () => {
  it('judges a feed late or silent by its own rhythm: an hourly feed is not failing 10 minutes after its last message', async () => {
    for (const m of [310, 250, 190, 130, 70, 10]) await message('hourly', m, 3); // three events a message, hourly
    for (const m of [16, 15, 14, 13, 12, 11, 10]) await message('minutely', m);
    for (const m of [250, 190, 130]) await message('hourly-stopped', m);
    const health = new Map((await feedHealth(t.db, NOW)).map((f) => [f.source, f]));
    expect(health.get('hourly')).toMatchObject({ status: 'ok', usualIntervalSeconds: 3600 });
    expect(health.get('minutely')).toMatchObject({ status: 'late', usualIntervalSeconds: 60 });
    expect(health.get('hourly-stopped')).toMatchObject({ status: 'late' }); // two hours and ten minutes without its hourly message
  });

  it('a single event stamped far in the future does not become the feed\'s newest event time', async () => {
    await message('skewed', 5, 1, ago(6));
    await message('skewed', 4, 1, '9999-01-01T00:00:00Z');
    const skewed = (await feedHealth(t.db, NOW)).find((f) => f.source === 'skewed')!;
    expect(skewed.lastEventAt).toBe(ago(6));
    expect(skewed.lagSeconds).toBe(120); // received 4 min ago, newest believable event 6 min ago
  });

  it('a feed that speaks a few times a week is judged by its whole history, not called silent half an hour after its last warning', async () => {
    // A prefecture's warnings every sixteen hours over five days, the last one ten hours ago: one message in the last day.
    for (let k = 0; k < 8; k++) await message('prefecture', 600 + (7 - k) * 960);
    const prefecture = (await feedHealth(t.db, NOW)).find((f) => f.source === 'prefecture')!;
    expect(prefecture).toMatchObject({ status: 'ok', usualIntervalSeconds: 16 * 3600 });
    // Thirty-four hours after it (more than two of its intervals) it is late; sixty-six hours after, silent.
    expect((await feedHealth(t.db, new Date(NOW.getTime() + 24 * 3600_000))).find((f) => f.source === 'prefecture')!.status).toBe('late');
    expect((await feedHealth(t.db, new Date(NOW.getTime() + 56 * 3600_000))).find((f) => f.source === 'prefecture')!.status).toBe('silent');
  });

  it('a feed heard from once has no rhythm yet: not late an hour later, late after two hours, silent after a day', async () => {
    await message('first-warning', 61);
    const at = async (minutes: number) => (await feedHealth(t.db, new Date(NOW.getTime() + minutes * 60_000))).find((f) => f.source === 'first-warning')!;
    expect(await at(0)).toMatchObject({ status: 'ok', usualIntervalSeconds: null });
    expect((await at(60)).status).toBe('late');
    expect((await at(23 * 60)).status).toBe('silent');
  });

  it('a polled feed heard from once is judged by its polling interval', async () => {
    await t.db.query(`INSERT INTO feed_configs (id, kind, source, format, url, interval_s, enabled, created_at, updated_at)
      VALUES ('poll-once', 'gtfs-rt-poll', 'polled-once', 'gtfs-rt', 'http://example.org/vp.pb', 30, true, now(), now())`);
    await message('polled-once', 10);
    expect((await feedHealth(t.db, NOW)).find((f) => f.source === 'polled-once')).toMatchObject({ status: 'late', usualIntervalSeconds: 30 });
  });

  it('a feed with two messages is judged by the time between them', async () => {
    await message('twice', 90);
    await message('twice', 30);
    expect((await feedHealth(t.db, NOW)).find((f) => f.source === 'twice')).toMatchObject({ status: 'ok', usualIntervalSeconds: 3600 });
  });

  it('a feed silent for days stays listed, silent, with its last message; after thirty days it is no longer listed', async () => {
    for (const m of [3, 2, 1]) await message('vehicles', 3 * 24 * 60 + m);
    const vehicles = (await feedHealth(t.db, NOW)).find((f) => f.source === 'vehicles');
    expect(vehicles).toMatchObject({ status: 'silent', lastReceivedAt: ago(3 * 24 * 60 + 1), eventsLastHour: 0, usualIntervalSeconds: 60 });
    expect((await feedHealth(t.db, new Date(NOW.getTime() + 28 * 24 * 3600_000))).map((f) => f.source)).not.toContain('vehicles');
  });
});
