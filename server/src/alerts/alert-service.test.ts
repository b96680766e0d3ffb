import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertTransition } from '@vigie/rules';
import { NO_PUBLISHER } from '../live/publisher.ts';
import { actOnAlert, applyTransition, listAlerts } from '../storage/alerts-repo.ts';
import { createSilence } from '../storage/silences-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { AlertService, AlertsNotStoredError } from './alert-service.ts';
import { coalesceUpdates } from './coalesce-updates.ts';

const NOW = new Date('2026-11-28T20:00:00Z');
const FAST = { firstMs: 5, maxMs: 20 };

const transition = (kind: AlertTransition['kind'], key: string, count: number): AlertTransition => ({
  kind, ruleId: 'cluster', ruleVersion: 1, key, at: NOW.getTime(), severity: 'high', title: `Cluster ${key}`, actions: [],
  location: { lat: 43.3, lon: 5.37 }, zones: [key], count,
  explanation: { summary: `${count} events`, conditions: [], numbers: { count } },
  evidence: [{ source: 'csu', id: `${key}-${count}`, type: 'incident.theft', time: NOW.toISOString() }],
});

/**
 * The test database whose transactions fail while `down` says so (as a lost connection does:
 * an error without a SQLSTATE), or with `refuse`'s SQLSTATE for the transitions it names.
 */
function flaky(db: SqlClient, down: () => boolean, refuse?: { key: string; code: string }) {
  let attempts = 0;
  const client: SqlClient = Object.create(db);
  client.transaction = async (fn) => {
    attempts++;
    if (down()) throw new Error('Connection terminated unexpectedly');
    return db.transaction(async (tx) => {
      if (refuse) {
        const inner: SqlClient = Object.create(tx);
        inner.query = async (sql, params) => {
          if (params?.includes(refuse.key)) throw Object.assign(new Error('invalid input syntax'), { code: refuse.code });
          return tx.query(sql, params);
        };
        return fn(inner);
      }
      return fn(tx);
    });
  };
  return { client, attempts: () => attempts };
}

let t: TestDatabase;
beforeEach(async () => { t = await memoryDatabase(); });
afterEach(async () => { await t.drop(); });

describe('AlertService: the engine\'s transitions and an unavailable database', () => {
  it('tries a transition again until the database answers, holding the ones after it: each stored once, in order', async () => {
    let failures = 3;
    const db = flaky(t.db, () => failures-- > 0);
    const service = new AlertService(db.client, NO_PUBLISHER, () => NOW, undefined, { retry: FAST });
    const stored = await service.applyTransitions([transition('fired', 'a', 3), transition('updated', 'a', 4), transition('fired', 'b', 2)]);
    expect(stored.map((a) => [a.key, a.count])).toEqual([['a', 3], ['a', 4], ['b', 2]]);
    expect(service.counters).toMatchObject({ retries: 3, fired: 2, updated: 1, refused: 0 });
    const alerts = await listAlerts(t.db, { limit: 10 });
    expect(alerts.map((a) => [a.key, a.count]).sort()).toEqual([['a', 4], ['b', 2]]); // not 3 + 4: nothing applied twice
  });

  it('skips a transition the database refuses outright (logged), and stores the rest of the batch', async () => {
    const db = flaky(t.db, () => false, { key: 'bad', code: '22P02' });
    const service = new AlertService(db.client, NO_PUBLISHER, () => NOW, undefined, { retry: FAST });
    const stored = await service.applyTransitions([transition('fired', 'a', 3), transition('fired', 'bad', 3), transition('fired', 'c', 5)]);
    expect(stored.map((a) => a.key)).toEqual(['a', 'c']);
    expect(service.counters).toMatchObject({ refused: 1, retries: 0 });
    expect(db.attempts()).toBe(3); // the refused one was not tried again
  });

  it('skips, after a few attempts, a transition failing with an error that is neither an outage nor a refusal (a bug): the others are stored', async () => {
    let attempts = 0;
    const client: SqlClient = Object.create(t.db);
    client.transaction = async (fn) => t.db.transaction(async (tx) => {
      const inner: SqlClient = Object.create(tx);
      inner.query = async (sql, params) => {
        if (params?.includes('buggy')) { attempts++; throw new RangeError('Invalid time value'); }
        return tx.query(sql, params);
      };
      return fn(inner);
    });
    const service = new AlertService(client, NO_PUBLISHER, () => NOW, undefined, { retry: FAST });
    const stored = await service.applyTransitions([transition('fired', 'buggy', 1), transition('fired', 'fine', 1)]);
    expect(stored.map((a) => a.key)).toEqual(['fine']);
    expect(attempts).toBe(5);
    expect(service.counters).toMatchObject({ refused: 1, retries: 4 });
  });

  it('stores the transitions of a flood several to a transaction, in order, and publishes each once stored', async () => {
    const db = flaky(t.db, () => false);
    const published: string[] = [];
    const service = new AlertService(db.client, { publish: (a) => published.push(`${a.key}:${a.count}`), escalated: () => {} }, () => NOW, undefined, { together: 100 });
    const flood = Array.from({ length: 250 }, (_, i) => transition('fired', `k${i}`, 1));
    flood.splice(10, 0, transition('updated', 'k3', 2)); // the same key again: updated in the same transaction
    const stored = await service.applyTransitions(flood);
    expect(db.attempts()).toBe(3);
    expect(stored).toHaveLength(251);
    expect(published).toEqual(flood.map((f) => `${f.key}:${f.count}`));
    expect(service.counters).toMatchObject({ fired: 250, updated: 1, retries: 0, refused: 0 });
    const alerts = await listAlerts(t.db, { limit: 500 });
    expect(alerts).toHaveLength(250);
    expect(alerts.find((a) => a.key === 'k3')!.count).toBe(2);
  });

  it('applies a transaction\'s transitions one by one when it fails: the refused one skipped, none stored twice, none published before stored', async () => {
    const db = flaky(t.db, () => false, { key: 'bad', code: '22P02' });
    const published: string[] = [];
    const service = new AlertService(db.client, { publish: (a) => published.push(a.key), escalated: () => {} }, () => NOW, undefined, { retry: FAST, together: 10 });
    const keys = ['a', 'b', 'c', 'bad', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    const stored = await service.applyTransitions(keys.map((k) => transition('fired', k, 1)));
    const fine = keys.filter((k) => k !== 'bad');
    expect(stored.map((a) => a.key)).toEqual(fine);
    expect(published).toEqual(fine);
    expect(db.attempts()).toBe(1 + 10 + 1); // the first ten together (refused), then one by one; the last two together
    expect(service.counters).toMatchObject({ fired: 11, refused: 1, retries: 0 });
    expect((await listAlerts(t.db, { limit: 50 })).map((a) => a.key).sort()).toEqual([...fine].sort());
  });

  it('stores a transaction\'s transitions one by one once the database answers again: each stored and published once', async () => {
    let failures = 1;
    const db = flaky(t.db, () => failures-- > 0);
    const published: string[] = [];
    const service = new AlertService(db.client, { publish: (a) => published.push(a.key), escalated: () => {} }, () => NOW, undefined, { retry: FAST, together: 10 });
    const keys = ['a', 'b', 'c', 'd'];
    const stored = await service.applyTransitions(keys.map((k) => transition('fired', k, 1)));
    expect(stored.map((a) => a.key)).toEqual(keys);
    expect(published).toEqual(keys);
    expect(db.attempts()).toBe(1 + 4);
    expect(service.counters).toMatchObject({ fired: 4, retries: 4, refused: 0 });
    expect((await listAlerts(t.db, { limit: 50 })).map((a) => a.key).sort()).toEqual(keys);
  });

  it('stores and shows a run of updates of one alert in two, the alert as it would be after each applied in turn', async () => {
    const flood = [transition('fired', 'hot', 3), transition('updated', 'hot', 4), transition('updated', 'cold', 1), transition('updated', 'hot', 7), transition('updated', 'hot', 6), transition('updated', 'hot', 5)];
    const shown: string[] = [];
    const service = new AlertService(t.db, { publish: (a) => shown.push(`${a.key}:${a.count}`), escalated: () => {} }, () => NOW);
    await service.applyTransitions(flood);
    expect(shown).toEqual(['hot:3', 'hot:4', 'cold:1', 'hot:7']);
    expect(service.counters).toMatchObject({ fired: 2, updated: 2, coalesced: 2 }); // cold's update made its alert
  });

  describe('a run of updates made one leaves the alert as applying each in turn would', () => {
    const MIN = 60_000;
    let n = 0;
    const u = (kind: AlertTransition['kind'], count: number, o: Partial<AlertTransition> & { ids?: string[] } = {}): AlertTransition => {
      const { ids, ...rest } = o;
      const at = rest.at ?? NOW.getTime();
      return {
        ...transition(kind, 'k', count), zones: ['z0'], ...rest, at,
        evidence: (ids ?? [`u${++n}`]).map((id) => ({ source: 'csu', id, type: 'incident.theft', time: new Date(at).toISOString(), location: { lat: 43.3, lon: 5.37 } })),
      };
    };
    const closed = async (service: AlertService, db: SqlClient) => {
      const [a] = await service.applyTransitions([u('fired', 10, { ids: ['a1', 'a2'], at: NOW.getTime() - 30 * MIN, suppressMs: 60 * MIN })]);
      expect((await actOnAlert(db, a!.id, a!.version, 'op', { action: 'resolve' }, new Date(NOW.getTime() - 20 * MIN))).ok).toBe(true);
    };
    const state = async (db: SqlClient) => (await listAlerts(db, { limit: 10 })).map((a) => ({
      key: a.key, status: a.status, count: a.count, zones: a.zones, silenced: a.silencedBy !== null, location: a.location, firstAt: a.firstAt, lastAt: a.lastAt,
      evidence: a.evidence.map((r) => r.id), history: a.history.map((h) => h.action), title: a.title, explanation: a.explanation,
    })).sort((x, y) => x.firstAt.localeCompare(y.firstAt));
    const scenarios: [string, (s: AlertService, db: SqlClient) => Promise<unknown>, () => AlertTransition[]][] = [
      ['reopened within its suppress span, a measure that is not its events', closed, () => [3, 4, 6, 5].map((c) => u('updated', c, { suppressMs: 60 * MIN }))],
      ['the first update within the suppress span, the last past it', closed, () => [-25, 0, 45].map((m, i) => u('updated', 3 + i, { suppressMs: 60 * MIN, at: NOW.getTime() + m * MIN }))],
      ['made by updates in other zones, one of them silenced', async (_s, db) => createSilence(db, { matcher: 'zone', value: 'z1', reason: 'works' }, 'op', new Date(NOW.getTime() - MIN)),
        () => [u('updated', 3, { zones: ['z1'] }), u('updated', 4, { zones: ['z2'] }), u('updated', 5, { zones: ['z3'] })]],
      ['places given by some updates only', async (s) => s.applyTransitions([u('fired', 1, { ids: ['p0'], location: { lat: 1, lon: 1 } })]),
        () => [u('updated', 2, { location: { lat: 43.3, lon: 5.4 } }), u('updated', 3, { location: { lat: 43.31, lon: 5.41 } }), u('updated', 4, { location: undefined })]],
      ['evidence past 50, events seen again', async (s) => s.applyTransitions([u('fired', 50, { ids: Array.from({ length: 50 }, (_, i) => `a${i}`) })]),
        () => [u('updated', 51, { ids: ['b1'] }), u('updated', 52, { ids: ['a0', 'b1'] }), u('updated', 80, { ids: Array.from({ length: 30 }, (_, i) => `c${i}`), at: NOW.getTime() + MIN }), u('updated', 81, { ids: ['a1'] })]],
    ];
    it('the rest of a run meeting an alert an operator closed after its first: applied in turn (reopened, or made anew silenced)', async () => {
      const turn = await memoryDatabase();
      try {
        for (const [db, together] of [[t.db, true], [turn.db, false]] as const) {
          const service = new AlertService(db, NO_PUBLISHER, () => NOW);
          await closed(service, db);
          await createSilence(db, { matcher: 'zone', value: 'z1', reason: 'works' }, 'op', new Date(NOW.getTime() - MIN));
          const rest = [u('updated', 3, { suppressMs: 60 * MIN, zones: ['z1'], ids: ['r1'] }), u('updated', 4, { suppressMs: 60 * MIN, zones: ['z2'], ids: ['r2'] })];
          const [gathered] = coalesceUpdates([u('updated', 2, { ids: ['r0'] }), ...rest]).transitions.slice(1);
          expect(gathered!.parts).toHaveLength(2);
          if (together) await applyTransition(db, gathered!, NOW);
          else for (const x of rest) await applyTransition(db, x, NOW);
        }
        expect(await state(t.db)).toEqual(await state(turn.db));
      } finally {
        await turn.drop();
      }
    });

    for (const [name, before, run] of scenarios) {
      it(name, async () => {
        const turn = await memoryDatabase();
        try {
          const together = new AlertService(t.db, NO_PUBLISHER, () => NOW), apart = new AlertService(turn.db, NO_PUBLISHER, () => NOW);
          await before(together, t.db);
          await before(apart, turn.db);
          const ts = run();
          await together.applyTransitions(ts);
          for (const x of ts) await apart.applyTransitions([x]);
          expect(together.counters.coalesced).toBeGreaterThan(0);
          expect(await state(t.db)).toEqual(await state(turn.db));
        } finally {
          await turn.drop();
        }
      });
    }
  });

  it('stores one transition to a transaction on PGlite (one statement at a time there: a long transaction would hold every request)', async () => {
    const db = flaky(t.db, () => false);
    expect(t.db.kind).toBe('pglite');
    await new AlertService(db.client, NO_PUBLISHER, () => NOW).applyTransitions(['a', 'b', 'c'].map((k) => transition('fired', k, 1)));
    expect(db.attempts()).toBe(3);
  });

  it('gives up at once when stopped while waiting for the database', async () => {
    const db = flaky(t.db, () => true);
    const service = new AlertService(db.client, NO_PUBLISHER, () => NOW, undefined, { retry: { firstMs: 60_000, maxMs: 60_000 } });
    const pending = service.applyTransitions([transition('fired', 'a', 3)]);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    service.close();
    await expect(pending).rejects.toBeInstanceOf(AlertsNotStoredError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await listAlerts(t.db, { limit: 10 })).toEqual([]);
  });
});
