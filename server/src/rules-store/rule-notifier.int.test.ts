import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually } from '../testing/harness.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../testing/services.ts';
import { RulesStore, type RuleSet } from './rules-store.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());
const RULE = (title: string) => `id: notified\ntitle: "${title}"\nseverity: low\nkind: match\nwhere: { type: "citizen.*" }\n`;

describe.skipIf(!ready)('a publish on one node reaches the others through Redis', () => {
  let t: TestDatabase;
  const stores: RulesStore[] = [];
  beforeAll(async () => {
    t = await postgresDatabase();
    for (let i = 0; i < 2; i++) {
      const s = new RulesStore(t.db, createLogger('silent'), () => new Date());
      await s.load();
      await s.listen(TEST_REDIS_URL);
      stores.push(s);
    }
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await t?.drop();
  });

  it('the other node reloads the new version from the database and tells its engine', async () => {
    const [a, b] = stores as [RulesStore, RulesStore];
    const heard: RuleSet[] = [];
    b.onChange((s) => heard.push(s));
    await a.publish({ id: 'notified', yaml: RULE('v1'), author: 'sup', comment: '' }, 'create');
    await eventually(() => (heard.some((s) => s.rules.some((r) => r.id === 'notified' && r.version === 1)) ? true : undefined), 5000);
    await a.publish({ id: 'notified', yaml: RULE('v2'), author: 'sup', comment: '' }, 'update');
    await eventually(() => (b.current().rules.find((r) => r.id === 'notified')?.title === 'v2' ? true : undefined), 5000);
    await a.setShadow('notified', true, 'sup');
    await eventually(() => (b.current().shadow.has('notified') ? true : undefined), 5000);
  });
});
