import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertTransition } from '@vigie/rules';
import type { AlertPublisher } from '../live/publisher.ts';
import { createLogger } from '../logger.ts';
import { applyTransition, escalateDue } from '../storage/alerts-repo.ts';
import { openPg } from '../storage/pg-client.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { eventually } from '../testing/harness.ts';
import { postgresAvailable } from '../testing/services.ts';
import { ALERTS_CHANNEL, AlertRelay } from './alert-relay.ts';

const ready = await postgresAvailable();
if (!ready) console.warn('alert-relay.int.test: skipped, PostgreSQL is not reachable on 127.0.0.1:5432');

let n = 0;
/** A firing on `key` with an event of its own (one the alert already holds would change nothing), now. */
const fired = (key: string): AlertTransition => ({
  kind: 'fired', ruleId: 'relayed', ruleVersion: 1, key, at: Date.now(), severity: 'high', title: `Alert ${key}`, actions: [], zones: [], count: 1,
  explanation: { summary: 'matched', conditions: [], numbers: {} },
  evidence: [{ source: 'csu', id: `${key}-${++n}`, type: 'incident.theft', time: new Date().toISOString() }],
});
/** Escalation after a millisecond for high alerts: the test escalates when it likes. */
const LIFE = { escalation: { high: 1 } };

/** What a node's own clients are shown: each alert change as `key:version` (new ones marked). */
function clients(): AlertPublisher & { shown: string[]; escalations: string[] } {
  const shown: string[] = [], escalations: string[] = [];
  return {
    shown, escalations,
    publish: (a: Alert, isNew: boolean) => shown.push(`${a.key}:${a.version}${isNew ? ' new' : ''}`),
    escalated: (as: Alert[]) => escalations.push(...as.map((a) => a.key)),
  };
}

describe.skipIf(!ready)('without Redis, alert changes reach the clients of every node through PostgreSQL (LISTEN/NOTIFY)', () => {
  let t: TestDatabase;
  /** Node b's own connections, named: its listening one can be cut alone. */
  let dbB: SqlClient;
  const local = { a: clients(), b: clients() };
  let a: AlertRelay, b: AlertRelay;
  const change = async (relay: AlertRelay, key: string, isNew = true) => {
    const r = (await applyTransition(t.db, fired(key), new Date(), LIFE))!;
    relay.publish(r.alert, isNew);
    return r.alert;
  };
  beforeAll(async () => {
    t = await postgresDatabase();
    dbB = openPg({ connectionString: `${t.url}?application_name=vigie-node-b`, schema: t.schema });
    // b listens again 3 s after a loss: the changes the test makes meanwhile surely fall in the gap.
    [a, b] = [new AlertRelay(t.db, local.a, createLogger('silent')), new AlertRelay(dbB, local.b, createLogger('silent'), { firstRetryMs: 3000 })];
    await Promise.all([a.listen(), b.listen()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dbB?.close();
    await t?.drop();
  });

  it('a change on one node is shown on the other, once, and not sent back to its own', async () => {
    await change(a, 'k1');
    const escalated = await change(b, 'k2');
    b.escalated([escalated]);
    await eventually(() => (local.a.shown.length === 2 && local.b.shown.length === 2 && local.a.escalations.length ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 200)); // nothing doubled afterwards
    expect(local.a.shown).toEqual(['k1:1 new', 'k2:1 new']);
    expect([...local.b.shown].sort()).toEqual(['k1:1 new', 'k2:1 new']); // its own at once, a's when heard
    expect(local.a.escalations).toEqual(['k2']);
    expect(local.b.escalations).toEqual(['k2']);
  });

  it('a node whose listening connection was cut shows, once it listens again, the changes made meanwhile, in order', async () => {
    const listening = async () => t.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'vigie-node-b' AND query = $1`, [`LISTEN "${ALERTS_CHANNEL}.${t.schema}"`]);
    // A change b hears well after k1 was made: k1 is no news to b's clients.
    await new Promise((r) => setTimeout(r, 1100));
    await change(a, 'k0');
    await eventually(() => (local.b.shown.at(-1) === 'k0:1 new' ? true : undefined), 5000);
    const [listener] = await listening();
    expect(listener).toBeDefined();
    const before = { shown: local.b.shown.length, escalations: local.b.escalations.length };
    await t.db.query('SELECT pg_terminate_backend($1)', [listener!.pid]);
    await eventually(async () => ((await listening()).length === 0 ? true : undefined), 5000);
    // a makes these changes while b does not listen (b's notifications are lost).
    await change(a, 'k3');
    await change(a, 'k1', false);
    const k4 = await change(a, 'k4');
    const escalated = await escalateDue(t.db, new Date(Date.now() + 1000), LIFE);
    expect(escalated.map((x) => x.key)).toContain(k4.key);
    a.escalated(escalated);
    expect(b.counters.caughtUp).toBe(0);
    await eventually(() => (b.counters.caughtUp > 0 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 200)); // nothing doubled afterwards
    // Created meanwhile: new (the console sounds them); changed meanwhile: an update; each once, as it stands now.
    const shown = local.b.shown.slice(before.shown);
    expect(shown).toEqual(expect.arrayContaining(['k3:2 new', 'k1:3', 'k4:2 new']));
    expect(new Set(shown.map((x) => x.split(':')[0])).size).toBe(shown.length);
    expect(local.b.escalations.slice(before.escalations)).toEqual(expect.arrayContaining(['k3', 'k4']));
    // And b hears again.
    await change(a, 'k5');
    await eventually(() => (local.b.shown.at(-1) === 'k5:1 new' ? true : undefined), 5000);
  });
});
