import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertTransition } from '@vigie/rules';
import type { AlertPublisher } from '../live/publisher.ts';
import { listAlerts, purgeCommitMarks } from '../storage/alerts-repo.ts';
import { openPg } from '../storage/pg-client.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { lossyProxy, type LossyProxy } from '../testing/lossy-proxy.ts';
import { postgresAvailable } from '../testing/services.ts';
import { AlertService } from './alert-service.ts';

const ready = await postgresAvailable();
if (!ready) console.warn('alert-service.int.test: skipped, PostgreSQL is not reachable on 127.0.0.1:5432');

const NOW = new Date('2026-11-28T20:00:00Z');
const FAST = { firstMs: 5, maxMs: 20 };

let n = 0;
const transition = (kind: AlertTransition['kind'], key: string, count: number): AlertTransition => ({
  kind, ruleId: 'cluster', ruleVersion: 1, key, at: NOW.getTime(), severity: 'high', title: `Cluster ${key}`, actions: [],
  zones: [], count, explanation: { summary: `${count} events`, conditions: [], numbers: { count } },
  evidence: [{ source: 'csu', id: `${key}-${++n}`, type: 'incident.theft', time: NOW.toISOString() }],
});

/** What clients are shown: each alert change as `key:count`, new ones marked. */
function clients(): AlertPublisher & { shown: string[] } {
  const shown: string[] = [];
  return { shown, publish: (a: Alert, isNew: boolean) => shown.push(`${a.key}:${a.count}${isNew ? ' new' : ''}`), escalated: () => {} };
}

describe.skipIf(!ready)('AlertService on PostgreSQL when the answer to a COMMIT is lost (the connection cut just then)', () => {
  let t: TestDatabase;
  let proxy: LossyProxy;
  let db: SqlClient;
  beforeEach(async () => {
    t = await postgresDatabase();
    proxy = await lossyProxy('127.0.0.1', Number(new URL(t.url!).port || 5432));
    db = openPg({ connectionString: proxy.through(t.url!), schema: t.schema });
  });
  afterEach(async () => {
    await db.close();
    await proxy.close();
    await t.drop();
  });

  it('finds the transaction stored by its mark: each alert stored and shown once, new ones as new, nothing applied twice', async () => {
    const seen = clients();
    const service = new AlertService(db, seen, () => NOW, undefined, { retry: FAST, together: 10 });
    await service.applyTransitions([transition('fired', 'a', 2)]);
    proxy.loseNextCommit('answer');
    await service.applyTransitions([transition('fired', 'b', 1), transition('updated', 'a', 5), transition('fired', 'c', 3)]);
    expect(proxy.lost).toBe(1);
    expect(seen.shown).toEqual(['a:2 new', 'b:1 new', 'a:5', 'c:3 new']);
    expect(service.counters).toMatchObject({ unanswered: 1, retries: 0, fired: 3, updated: 1, refused: 0 });
    const stored = await listAlerts(t.db, { limit: 10 });
    expect(stored.map((a) => [a.key, a.count, a.version]).sort()).toEqual([['a', 5, 2], ['b', 1, 1], ['c', 3, 1]]);
  });

  it('waits for a COMMIT still being made when the connection was cut (a standby, a slow disk): found stored, nothing applied twice', async () => {
    // A COMMIT that takes a second: a deferred trigger on the marks sleeps at commit.
    await t.db.query('CREATE FUNCTION slow_commit() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$ LANGUAGE plpgsql');
    await t.db.query('CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON alert_commit_marks DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()');
    const seen = clients();
    const service = new AlertService(db, seen, () => NOW, undefined, { retry: FAST, together: 10 });
    proxy.loseNextCommit('while-committing');
    await service.applyTransitions([transition('fired', 'a', 1), transition('fired', 'b', 2)]);
    expect(seen.shown).toEqual(['a:1 new', 'b:2 new']);
    expect(service.counters).toMatchObject({ unanswered: 1, retries: 0, fired: 2 });
    expect((await listAlerts(t.db, { limit: 10 })).map((a) => [a.key, a.count, a.version]).sort()).toEqual([['a', 1, 1], ['b', 2, 1]]);
  });

  it('applies the transitions again when the COMMIT never reached the database: each stored and shown once', async () => {
    const seen = clients();
    const service = new AlertService(db, seen, () => NOW, undefined, { retry: FAST, together: 10 });
    proxy.loseNextCommit('request');
    await service.applyTransitions([transition('fired', 'a', 1), transition('fired', 'b', 4)]);
    expect(seen.shown).toEqual(['a:1 new', 'b:4 new']);
    expect(service.counters).toMatchObject({ unanswered: 1, retries: 2, fired: 2 });
    expect((await listAlerts(t.db, { limit: 10 })).map((a) => [a.key, a.version]).sort()).toEqual([['a', 1], ['b', 1]]);
  });

  it('does the same for a transition stored alone, and keeps the marks a day', async () => {
    const seen = clients();
    const service = new AlertService(db, seen, () => NOW, undefined, { retry: FAST, together: 1 });
    proxy.loseNextCommit('answer');
    await service.applyTransitions([transition('fired', 'solo', 1), transition('fired', 'next', 1)]);
    expect(seen.shown).toEqual(['solo:1 new', 'next:1 new']);
    expect(service.counters).toMatchObject({ unanswered: 1, retries: 0, fired: 2 });
    const marks = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_commit_marks'))[0]!.n;
    expect(await marks()).toBe(2);
    await purgeCommitMarks(t.db, new Date());
    expect(await marks()).toBe(2);
    await purgeCommitMarks(t.db, new Date(Date.now() + 25 * 3_600_000));
    expect(await marks()).toBe(0);
  });
});
