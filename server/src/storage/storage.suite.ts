import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertTransition, EngineSnapshot, StoredEvent } from '@vigie/rules';
import type { TestDatabase } from '../testing/databases.ts';
import { actOnAlert, alertsSince, applyTransition, getAlert, lastSeq, listAlerts } from './alerts-repo.ts';
import { createSession, findSession, upsertUser, findFeedToken, upsertFeedToken } from './accounts-repo.ts';
import { insertEvents, listEvents } from './events-repo.ts';
import { migrate } from './migrate.ts';
import { loadSnapshot, saveSnapshot } from './snapshots-repo.ts';
import type { SqlClient } from './sql-client.ts';
import { listZones, upsertZones } from './zones-repo.ts';

const NOW = new Date('2026-11-28T20:00:00Z');

const event = (id: string, minute: number, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  id, source: 'csu', type: 'incident.theft', time: new Date(NOW.getTime() + minute * 60_000).toISOString(),
  receivedAt: NOW.toISOString(), ...extra,
});

const transition = (kind: AlertTransition['kind'], key: string, count: number, evidenceIds: string[]): AlertTransition => ({
  kind, ruleId: 'cluster', ruleVersion: 1, key, at: NOW.getTime(), severity: 'high', title: `Cluster ${key}`, actions: ['Go'],
  location: { lat: 43.3, lon: 5.37 }, zones: [key], count,
  explanation: { summary: `${count} events`, conditions: ['type = incident.*'], numbers: { count } },
  evidence: evidenceIds.map((id) => ({ source: 'csu', id, type: 'incident.theft', time: NOW.toISOString() })),
});

/** The storage behaviour every SqlClient implementation must show; run on PGlite and on PostgreSQL. */
export function storageSuite(name: string, open: () => Promise<TestDatabase>) {
  describe(`storage on ${name}`, () => {
    let t: TestDatabase;
    let db: SqlClient;
    beforeAll(async () => { t = await open(); db = t.db; });
    afterAll(async () => { await t?.drop(); });

    it('migrations are idempotent', async () => {
      expect(await migrate(db)).toEqual([]);
    });

    it('stores a batch once: duplicates counted, conflicts reported, the rest kept', async () => {
      const first = await insertEvents(db, [event('1', 0), event('2', 1)].map((e) => ({ event: e, hash: `h${e.id}` })));
      expect(first.inserted.map((e) => e.id)).toEqual(['1', '2']);
      const again = await insertEvents(db, [
        { event: event('1', 0), hash: 'h1' }, { event: event('2', 1, { type: 'incident.other' }), hash: 'other' }, { event: event('3', 2), hash: 'h3' },
      ]);
      expect(again.inserted.map((e) => e.id)).toEqual(['3']);
      expect(again.duplicates).toBe(1);
      expect(again.conflicts).toEqual([{ source: 'csu', id: '2' }]);
      const [stored] = (await listEvents(db, { limit: 10, source: 'csu', type: 'incident.theft', since: event('2', 1).time, until: event('2', 2).time })).events;
      expect(stored).toMatchObject({ id: '2', type: 'incident.theft' });
    });

    it('a batch with its JSON texts: every column read from the stored body, non-ASCII intact, conflicts in batch order', async () => {
      const e = event('j1', 3, { source: 'json', location: { lat: 43.2951, lon: 5.374999999999999 }, severity: 4, attributes: { plate: 'ps:k:ab', n: 1.5, ok: true }, text: 'Témoin « ici » — 🚓 \\ "quoted"' });
      const plain = event('j2', 4, { source: 'json' });
      const first = await insertEvents(db, [{ event: e, hash: 'hj1', json: JSON.stringify(e) }, { event: plain, hash: 'hj2' }]);
      expect(first).toEqual({ inserted: [e, plain], duplicates: 0, conflicts: [] });
      const [row] = await db.query<Record<string, unknown>>("SELECT type, time, received_at, lat, lon, severity, body, hash FROM events WHERE source = 'json' AND id = 'j1'");
      expect(row).toMatchObject({ type: e.type, lat: 43.2951, lon: 5.374999999999999, severity: 4, body: e, hash: 'hj1' });
      expect(new Date(row!.time as string).toISOString()).toBe(e.time);
      expect(new Date(row!.received_at as string).toISOString()).toBe(e.receivedAt);
      const [bare] = await db.query<Record<string, unknown>>("SELECT lat, lon, severity FROM events WHERE source = 'json' AND id = 'j2'");
      expect(bare).toEqual({ lat: null, lon: null, severity: null });
      const again = await insertEvents(db, [
        { event: event('j3', 5, { source: 'json' }), hash: 'x' }, { event: plain, hash: 'changed' }, { event: e, hash: 'hj1' }, { event: { ...e, id: 'j0' }, hash: 'h0' }, { event: { ...e, id: 'j1b' }, hash: 'y' },
      ].map((r) => (r.event.id === 'j2' ? { ...r, event: { ...r.event, type: 'incident.other' } } : r)));
      expect(again.inserted.map((x) => x.id)).toEqual(['j3', 'j0', 'j1b']);
      expect(again).toMatchObject({ duplicates: 1, conflicts: [{ source: 'json', id: 'j2' }] });
      const third = await insertEvents(db, [{ event: { ...e, id: 'j1b' }, hash: 'other' }, { event: plain, hash: 'again' }]);
      expect(third).toEqual({ inserted: [], duplicates: 0, conflicts: [{ source: 'json', id: 'j1b' }, { source: 'json', id: 'j2' }] });
    });

    it('engine snapshots are saved (a large JSON document) and read back', async () => {
      const state = { v: 1, windows: Array.from({ length: 2000 }, (_, i) => ({ key: `k${i} é 🚓`, ids: [`a${i}`, `b${i}`], at: i })) } as unknown as EngineSnapshot;
      await saveSnapshot(db, 'node-a', NOW, state);
      await saveSnapshot(db, 'node-a', new Date(NOW.getTime() + 1000), state);
      expect(await loadSnapshot(db, 'node-a')).toEqual({ at: new Date(NOW.getTime() + 1000).toISOString(), state });
    });

    it('pages events newest first with a cursor', async () => {
      await insertEvents(db, Array.from({ length: 25 }, (_, i) => ({ event: event(`p${i}`, 100 + i, { source: 'page' }), hash: `p${i}` })));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listEvents(db, { source: 'page', limit: 10, cursor });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${24 - i}`));
      expect((await listEvents(db, { type: 'incident.*', source: 'csu', limit: 100 })).events.length).toBe(3);
    });

    it('one active alert per rule and key: fired, updated, condition cleared', async () => {
      const before = await lastSeq(db);
      const fired = await applyTransition(db, transition('fired', 'Z1', 3, ['a', 'b', 'c']), NOW);
      expect(fired).toMatchObject({ created: true, alert: { status: 'open', count: 3, version: 1, zones: ['Z1'], conditionActive: true } });
      expect(fired!.alert.seq).toBeGreaterThan(before);
      const updated = await applyTransition(db, transition('updated', 'Z1', 4, ['b', 'c', 'd']), NOW);
      expect(updated).toMatchObject({ created: false, alert: { id: fired!.alert.id, count: 4, version: 2 } });
      expect(updated!.alert.evidence.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
      const cleared = await applyTransition(db, transition('resolved', 'Z1', 1, []), NOW);
      expect(cleared!.alert).toMatchObject({ status: 'open', conditionActive: false, version: 3 });
      expect(await applyTransition(db, transition('resolved', 'Z1', 1, []), NOW)).toBeNull();
      const other = await applyTransition(db, transition('fired', 'Z2', 3, ['x']), NOW);
      expect(other!.created).toBe(true);
      const since = await alertsSince(db, before, 100);
      expect(since.map((a) => [a.id, a.version])).toEqual([[fired!.alert.id, 3], [other!.alert.id, 1]]);
      expect((await listAlerts(db, { zone: 'Z2', limit: 10 })).map((a) => a.id)).toEqual([other!.alert.id]);
    });

    it('operator actions check the version and the status', async () => {
      const { alert } = (await applyTransition(db, transition('fired', 'Z3', 3, ['y']), NOW))!;
      const stale = await actOnAlert(db, alert.id, alert.version + 1, 'op', { action: 'ack' }, NOW);
      expect(stale).toMatchObject({ ok: false, reason: 'version', current: { version: alert.version } });
      const ack = await actOnAlert(db, alert.id, alert.version, 'op', { action: 'ack' }, NOW);
      expect(ack).toMatchObject({ ok: true, alert: { status: 'acknowledged', assignee: 'op', version: alert.version + 1 } });
      const again = await actOnAlert(db, alert.id, alert.version + 1, 'op', { action: 'ack' }, NOW);
      expect(again).toMatchObject({ ok: false, reason: 'transition' });
      const dismissed = await actOnAlert(db, alert.id, alert.version + 1, 'op', { action: 'dismiss', reason: 'false_positive', note: 'test' }, NOW);
      expect(dismissed.ok && dismissed.alert.history.at(-1)).toMatchObject({ by: 'op', action: 'dismiss', note: 'false_positive: test' });
      expect(await actOnAlert(db, 'nope', 1, 'op', { action: 'ack' }, NOW)).toEqual({ ok: false, reason: 'not-found' });
      // the key is free again: a new firing makes a new alert
      const next = await applyTransition(db, transition('fired', 'Z3', 3, ['z']), NOW);
      expect(next!.created).toBe(true);
      expect((await getAlert(db, alert.id))!.status).toBe('dismissed');
    });

    it('accounts, sessions and tokens', async () => {
      await upsertUser(db, { username: 'ana', displayName: 'Ana', role: 'operator', passwordHash: 'x' });
      await createSession(db, 'sid', 'ana', 'csrf', NOW, new Date(NOW.getTime() + 60_000));
      expect(await findSession(db, 'sid', NOW)).toMatchObject({ user: { username: 'ana', role: 'operator' }, csrf: 'csrf' });
      expect(await findSession(db, 'sid', new Date(NOW.getTime() + 120_000))).toBeUndefined();
      await upsertFeedToken(db, 'th', 'csu feed', ['csu']);
      expect(await findFeedToken(db, 'th')).toEqual({ name: 'csu feed', sources: ['csu'] });
    });

    it('zones round-trip with holes and multipolygons', async () => {
      const square: [number, number][] = [[5, 43], [6, 43], [6, 44], [5, 44], [5, 43]];
      await upsertZones(db, [
        { id: 'z1', name: 'One', kind: 'sector', tags: ['t'], geometry: { type: 'Polygon', coordinates: [square, square] } },
        { id: 'z2', name: 'Two', kind: 'sector', tags: [], geometry: { type: 'MultiPolygon', coordinates: [[square], [square]] } },
      ]);
      const zones = await listZones(db);
      expect(zones.map((z) => [z.id, z.geometry.type, z.tags])).toEqual([['z1', 'Polygon', ['t']], ['z2', 'MultiPolygon', []]]);
    });
  });
}
