import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually } from '../testing/harness.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../testing/services.ts';
import { PG_RULES_CHANNEL } from '../nodes/node-notifier.ts';
import { RedisLink } from '../nodes/redis-link.ts';
import { RulesStore, type RuleSet } from './rules-store.ts';

const postgres = await postgresAvailable();
const redis = postgres && (await redisAvailable());
const RULE = (title: string) => `id: notified\ntitle: "${title}"\nseverity: low\nkind: match\nwhere: { type: "citizen.*" }\n`;

/** Two nodes on one PostgreSQL schema, listening through Redis (a URL) or, without, through PostgreSQL. */
function twoNodes(redisUrl: string | undefined) {
  const t = {} as { db: TestDatabase; a: RulesStore; b: RulesStore };
  beforeAll(async () => {
    t.db = await postgresDatabase();
    [t.a, t.b] = await Promise.all([0, 1].map(async () => {
      const log = createLogger('silent');
      const s = new RulesStore(t.db.db, log, () => new Date());
      await s.load();
      await s.listen(redisUrl ? new RedisLink(redisUrl, log) : undefined);
      return s;
    })) as [RulesStore, RulesStore];
  });
  afterAll(async () => {
    await Promise.all([t.a?.close(), t.b?.close()]);
    await t.db?.drop();
  });
  return t;
}

/** The second node reloads v1 once the first publishes it. */
async function publishReachesTheOther({ a, b }: { a: RulesStore; b: RulesStore }) {
  const heard: RuleSet[] = [];
  b.onChange((s) => heard.push(s));
  await a.publish({ id: 'notified', yaml: RULE('v1'), author: 'sup', comment: '' }, 'create');
  await eventually(() => (heard.some((s) => s.rules.some((r) => r.id === 'notified' && r.version === 1)) ? true : undefined), 5000);
}

describe.skipIf(!redis)('a publish on one node reaches the others through Redis', () => {
  const t = twoNodes(TEST_REDIS_URL);
  it('the other node reloads the new version from the database and tells its engine', async () => {
    await publishReachesTheOther(t);
    await t.a.publish({ id: 'notified', yaml: RULE('v2'), author: 'sup', comment: '' }, 'update');
    await eventually(() => (t.b.current().rules.find((r) => r.id === 'notified')?.title === 'v2' ? true : undefined), 5000);
    await t.a.setShadow('notified', true, 'sup');
    await eventually(() => (t.b.current().shadow.has('notified') ? true : undefined), 5000);
  });
});

describe.skipIf(!postgres)('without Redis, a publish on one node reaches the others through PostgreSQL (LISTEN/NOTIFY)', () => {
  const t = twoNodes(undefined);
  it('the other node reloads the new version, and hears again once its listening connection was cut', async () => {
    await publishReachesTheOther(t);
    // Cut every connection listening on this schema's channel (the database restarting, a network cut).
    const listeners = await t.db.db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()', [`LISTEN "${PG_RULES_CHANNEL}.${t.db.schema}"`]);
    expect(listeners).toHaveLength(2);
    for (const { pid } of listeners) await t.db.db.query('SELECT pg_terminate_backend($1)', [pid]);
    // A publish while b is not listening is not lost: b reloads once it listens again.
    await t.a.publish({ id: 'notified', yaml: RULE('v2'), author: 'sup', comment: '' }, 'update');
    await eventually(() => (t.b.current().rules.find((r) => r.id === 'notified')?.title === 'v2' ? true : undefined), 10_000);
    await t.a.setShadow('notified', true, 'sup');
    await eventually(() => (t.b.current().shadow.has('notified') ? true : undefined), 5000);
  });
});
