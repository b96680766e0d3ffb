import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually } from '../testing/harness.ts';
import { postgresAvailable } from '../testing/services.ts';
import { PG_RULES_CHANNEL } from './rule-notifier.ts';
import { RulesStore, type RuleSet } from './rules-store.ts';

const ready = await postgresAvailable();
const RULE = (title: string) => `id: pg-notified\ntitle: "${title}"\nseverity: low\nkind: match\nwhere: { type: "citizen.*" }\n`;

describe.skipIf(!ready)('without Redis, a publish on one node reaches the others through PostgreSQL (LISTEN/NOTIFY)', () => {
  let t: TestDatabase;
  const stores: RulesStore[] = [];
  beforeAll(async () => {
    t = await postgresDatabase();
    for (let i = 0; i < 2; i++) {
      const s = new RulesStore(t.db, createLogger('silent'), () => new Date());
      await s.load();
      await s.listen(undefined);
      stores.push(s);
    }
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await t?.drop();
  });

  it('the other node reloads the new version, and hears again once its listening connection was cut', async () => {
    const [a, b] = stores as [RulesStore, RulesStore];
    const heard: RuleSet[] = [];
    b.onChange((s) => heard.push(s));
    await a.publish({ id: 'pg-notified', yaml: RULE('v1'), author: 'sup', comment: '' }, 'create');
    await eventually(() => (heard.some((s) => s.rules.some((r) => r.id === 'pg-notified' && r.version === 1)) ? true : undefined), 5000);

    // Cut every connection listening on this schema's channel (the database restarting, a network cut).
    const listeners = await t.db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()", [`LISTEN "${PG_RULES_CHANNEL}.${t.schema}"`]);
    expect(listeners).toHaveLength(2);
    for (const { pid } of listeners) await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
    // A publish while b is not listening is not lost: b reloads once it listens again.
    await a.publish({ id: 'pg-notified', yaml: RULE('v2'), author: 'sup', comment: '' }, 'update');
    await eventually(() => (b.current().rules.find((r) => r.id === 'pg-notified')?.title === 'v2' ? true : undefined), 10_000);
    await a.setShadow('pg-notified', true, 'sup');
    await eventually(() => (b.current().shadow.has('pg-notified') ? true : undefined), 5000);
  });
});
