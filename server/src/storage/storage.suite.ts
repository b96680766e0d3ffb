import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertTransition, EngineSnapshot, StoredEvent } from '@vigie/rules';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { Pseudonymiser } from '../ingest/pseudonymise.ts';
import type { TestDatabase } from '../testing/databases.ts';
import { actOnAlert, alertsSince, applyTransition, getAlert, heldAlertKeys, heldAlertPairs, lastSeq, listAlerts } from './alerts-repo.ts';
import { createSession, findSession, upsertUser, findFeedToken, upsertFeedToken } from './accounts-repo.ts';
import { insertEvents, listEvents } from './events-repo.ts';
import { pgMicros } from './pg-time.ts';
import { migrate } from './migrate.ts';
import { loadSnapshot, saveSnapshot } from './snapshots-repo.ts';
import { purgeTimeNotices, recordTimeNotices, timeNoticesLastHour } from './time-notices-repo.ts';
import { feedStats } from './feed-minutes-repo.ts';
import { importedBatchesSince, importsLastDay, purgeFeedImports, wasImported } from './feed-imports-repo.ts';
import { iso, isUniqueViolation, type SqlClient } from './sql-client.ts';
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

    it('keeps feed health per source and minute as events are stored: counts, messages, first and last received, newest believable time', async () => {
      const at = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();
      const ev = (id: string, received: string, time: string) => ({ event: { id, source: 'minutes', type: 'feed.x', time, receivedAt: received }, hash: id });
      await insertEvents(db, [ev('m1', at(30), at(31)), ev('m2', at(30), at(30))]); // one message of two
      await insertEvents(db, [ev('m3', at(10), at(11))]);
      await insertEvents(db, [ev('m4', at(5), '2999-01-01T00:00:00.000Z')]); // a clock gone wrong
      await insertEvents(db, [ev('m1', at(4), at(31))]); // a duplicate: its event not counted again, its message is (the feed speaks)
      // One message holding two sources: a message for each.
      await insertEvents(db, [ev('m6', at(3), at(3)), { ...ev('o1', at(3), at(3)), event: { ...ev('o1', at(3), at(3)).event, source: 'minutes-other' } }, ev('m7', at(3), at(3))]);
      const [s] = (await feedStats(db, NOW)).filter((r) => r.source === 'minutes');
      expect(s).toMatchObject({ batches: 5, last_hour: 6 });
      expect(iso(s!.first_received)).toBe(at(30));
      expect(iso(s!.last_received)).toBe(at(3));
      expect(iso(s!.last_time)).toBe(at(3));
      expect((await feedStats(db, NOW)).find((r) => r.source === 'minutes-other')).toMatchObject({ batches: 1, last_hour: 1 });
    });

    it('keeps an upload apart from live messages: marked per batch, out of the feed minutes, counted, told apart on reading, purged', async () => {
      const at = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();
      const ev = (id: string, received: string, source = 'upload') => ({ event: { id, source, type: 'incident.theft', time: '2026-10-01T10:00:00.000Z', receivedAt: received }, hash: id });
      await insertEvents(db, [ev('u1', at(50)), ev('u2', at(50)), ev('x1', at(50), 'upload-other')], { imported: true });
      await insertEvents(db, [ev('u1', at(40)), ev('u3', at(40))], { imported: true }); // a resumed chunk: u1 is a duplicate
      await insertEvents(db, [ev('l1', at(30))]); // a live message of the same source
      await insertEvents(db, [ev('r1', at(20))], { replayed: true }); // a dead letter an admin replays: no message, no upload, taken as one
      const [s] = (await feedStats(db, NOW)).filter((r) => r.source === 'upload');
      expect(s).toMatchObject({ batches: 1, last_hour: 1 });
      expect(iso(s!.first_received)).toBe(at(30));
      expect((await feedStats(db, NOW)).find((r) => r.source === 'upload-other')).toBeUndefined();
      expect([...(await importsLastDay(db, NOW))].filter(([k]) => k.startsWith('upload'))).toEqual([
        ['upload', { lastImportAt: at(40), events: 3 }], ['upload-other', { lastImportAt: at(50), events: 1 }],
      ]);
      const batches = await importedBatchesSince(db, new Date(NOW.getTime() - 3600_000));
      expect([ev('u1', at(50)), ev('u3', at(40)), ev('l1', at(30)), ev('x1', at(40), 'upload-other'), ev('r1', at(20))].map((r) => wasImported(batches, r.event))).toEqual([true, true, false, false, true]);
      await purgeFeedImports(db, new Date(NOW.getTime() + 63 * 86_400_000 - 45 * 60_000));
      expect([...(await importsLastDay(db, new Date(NOW.getTime() - 35 * 60_000)))].filter(([k]) => k.startsWith('upload'))).toEqual([['upload', { lastImportAt: at(40), events: 1 }]]);
      expect((await importedBatchesSince(db, new Date(0))).get('upload')?.size).toBe(2); // the upload at 40 and the replay
    });

    it('adds the engine\'s out-of-time counts per source and minute, keeps the worst, and reads back the last hour', async () => {
      const counts = (late: number, lateMaxMs: number, future = 0, futureMaxMs = 0) => ({ late, lateMaxMs, future, futureMaxMs });
      await recordTimeNotices(db, new Map([['csu', counts(2, 30_000)], ['rtm', counts(0, 0, 1, 400_000)]]), new Date(NOW.getTime() - 3 * 3600_000));
      await recordTimeNotices(db, new Map([['csu', counts(1, 90_000)]]), new Date(NOW.getTime() - 10 * 60_000));
      await recordTimeNotices(db, new Map([['csu', counts(3, 45_000, 1, 360_000)]]), new Date(NOW.getTime() - 10 * 60_000 + 5000)); // the same minute, another node
      const last = await timeNoticesLastHour(db, NOW);
      expect([...last]).toEqual([['csu', { late: 4, lateMaxMs: 90_000, future: 1, futureMaxMs: 360_000 }]]);
      await purgeTimeNotices(db, new Date(NOW.getTime() + 7 * 86_400_000 - 2 * 3600_000));
      expect((await db.query<{ source: string }>('SELECT source FROM time_notices ORDER BY source')).map((r) => r.source)).toEqual(['csu']);
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

    it('keys and texts with tabs, newlines, backslashes and \\N come back as they went in, and are recognised again', async () => {
      const odd = ['tab\there', 'line\nbreak', 'back\\slash', '\\N', 'cr\r', ''];
      const events = odd.map((id, i) => event(id, 10 + i, { source: 'odd\tsource', type: `incident.${i}\\x`, text: `« ${id} »\n\t\\` }));
      expect((await insertEvents(db, events.map((e) => ({ event: e, hash: `h\t${e.id}` })))).inserted).toEqual(events);
      const rows = await db.query<{ id: string; type: string; body: unknown; hash: string }>("SELECT id, type, body, hash FROM events WHERE source = $1 ORDER BY time", ['odd\tsource']);
      expect(rows).toEqual(events.map((e) => ({ id: e.id, type: e.type, body: e, hash: `h\t${e.id}` })));
      const again = await insertEvents(db, events.map((e) => ({ event: e, hash: `h\t${e.id}` })));
      expect(again).toEqual({ inserted: [], duplicates: events.length, conflicts: [] });
    });

    it('text the database cannot hold (NUL, half a surrogate pair) costs only its own item', async () => {
      const pipeline = new IngestPipeline(db, new Pseudonymiser('a-test-key-of-32-characters-long', 'k1'), () => NOW);
      const item = (id: string, text: string) => ({ id, source: 'unicode', type: 'incident.theft', time: '2026-11-28T20:00:00Z', text });
      const result = await pipeline.ingest([item('u1', 'bad \ud800 half'), item('u2', 'emoji 🚨 ok'), item('u3', 'nul \u0000'), item('u4', 'x\udfff')], { name: 't', sources: null });
      expect(result).toMatchObject({ accepted: 1, rejected: [{ index: 0, error: { field: 'text', reason: { key: 'lone_surrogate' } } }, { index: 2, error: { reason: { key: 'nul' } } }, { index: 3, error: { reason: { key: 'lone_surrogate' } } }] });
      const rows = await db.query<{ id: string; body: { text: string } }>("SELECT id, body FROM events WHERE source = 'unicode'");
      expect(rows).toEqual([{ id: 'u2', body: expect.objectContaining({ text: 'emoji 🚨 ok' }) }]);
    });

    it('the pipeline writes each batch once, on every path: all new, against stored rows, repeated within the batch', async () => {
      let clock = NOW.getTime();
      const pipeline = new IngestPipeline(db, new Pseudonymiser('a-test-key-of-32-characters-long', 'k1'), () => new Date(clock));
      const sender = { name: 't', sources: null };
      const item = (id: string, extra: Record<string, unknown> = {}) => ({ id, source: 'pipe', type: 'incident.theft', time: '2026-11-28T20:00:00.123456+01:00', attributes: { plate: 'AB-123-CD' }, ...extra });
      const heard: string[] = [];
      pipeline.onStored((events) => heard.push(...events.map((e) => e.id)));
      // All new (the plain INSERT), with a repeat and a changed repeat within the batch.
      expect(await pipeline.ingest([item('a'), item('b'), item('a'), item('b', { severity: 2 }), { id: 'bad' }], sender)).toMatchObject({
        accepted: 2, duplicates: 1, rejected: [{ index: 3, error: { code: 'VIGIE_EVENT_CONFLICT' } }, { index: 4, error: { code: 'VIGIE_VALIDATION' } }],
      });
      clock += 1000;
      // Stored keys in the batch: the plain INSERT fails, the batch goes through ON CONFLICT.
      expect(await pipeline.ingest([item('a'), item('c'), item('b', { severity: 3 }), item('d'), item('d')], sender)).toMatchObject({
        accepted: 2, duplicates: 2, rejected: [{ index: 2, error: { code: 'VIGIE_EVENT_CONFLICT' } }],
      });
      clock += 1000;
      // The next batch of that source goes straight to ON CONFLICT; all new, then plain again.
      expect(await pipeline.ingest([item('e'), item('f')], sender)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      expect(await pipeline.ingest([item('g')], sender)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(await pipeline.ingest([item('g'), item('a')], sender)).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      expect(heard).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      const rows = await db.query<{ id: string; received_at: unknown; time: unknown; body: StoredEvent }>("SELECT id, received_at, time, body FROM events WHERE source = 'pipe' ORDER BY id");
      expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      for (const r of rows) {
        expect(new Date(r.received_at as string).toISOString()).toBe(r.body.receivedAt);
        expect(r.body.attributes!.plate).toMatch(/^ps:k1:/);
      }
      const [t] = await db.query<{ us: string }>("SELECT (extract(epoch FROM time) * 1000000)::bigint::text AS us FROM events WHERE source = 'pipe' AND id = 'a'");
      expect(t!.us).toBe(String(Date.parse('2026-11-28T19:00:00Z') * 1000 + 123456));
    });

    it('rows of one batch received at different times keep each their own', async () => {
      const rows = [event('r1', 0, { source: 'recv' }), event('r2', 0, { source: 'recv', receivedAt: '2026-11-28T21:00:00.000Z' })];
      expect((await insertEvents(db, rows.map((e) => ({ event: e, hash: e.id })))).inserted).toHaveLength(2);
      const got = await db.query<{ id: string; received_at: unknown }>("SELECT id, received_at FROM events WHERE source = 'recv' ORDER BY id");
      expect(got.map((r) => new Date(r.received_at as string).toISOString())).toEqual([NOW.toISOString(), '2026-11-28T21:00:00.000Z']);
    });

    it('event times read in JavaScript are the instants PostgreSQL reads from their text', async () => {
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      const isoTime = fc.record({
        y: fc.integer({ min: 1000, max: 9999 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }),
        h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
        frac: fc.option(fc.stringMatching(/^\d{1,9}$/)), zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 59 })).map(([sg, h, m]) => `${sg}${pad(h)}:${pad(m)}`)),
      }).filter((t) => t.d <= new Date(Date.UTC(t.y, t.mo, 0)).getUTCDate())
        .map((t) => `${t.y}-${pad(t.mo)}-${pad(t.d)}T${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}${t.frac === null ? '' : `.${t.frac}`}${t.zone}`);
      const times = [...fc.sample(isoTime, { numRuns: 2000, seed: 4 }), '2024-02-29T12:00:00Z', '1000-01-01T00:00:00.000001+15:59', '9999-12-31T23:59:59.999999-15:00', '2026-11-28T20:00:00.1234567Z'];
      const rows = times.map((time, i) => ({ event: event(`t${i}`, 0, { source: 'times', time }), hash: 'h' }));
      await insertEvents(db, rows);
      const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source = 'times' AND time = (body->>'time')::timestamptz") as [{ n: number }];
      expect(n).toBe(times.length);
      expect(times.filter((t) => pgMicros(t) === undefined).length).toBeLessThan(times.length / 2); // most take the binary path
      // pgMicros against this engine's own reading of each text (PGlite uses it for inserts).
      const read = await db.query<{ us: string }>("SELECT ((extract(epoch FROM t::timestamptz) - 946684800) * 1000000)::bigint::text AS us FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n", [times]);
      expect(times.map((t) => pgMicros(t)?.toString() ?? null)).toEqual(read.map((r, i) => (pgMicros(times[i]!) === undefined ? null : r.us)));
      for (const t of ['2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '0999-01-01T00:00:00Z', '2026-11-28T20:00:00+16:00', '2026-11-28 20:00:00Z']) expect(pgMicros(t)).toBeUndefined();
    });

    it('transactions commit or roll back as a whole; errors keep their SQLSTATE', async () => {
      const ins = (c: SqlClient, id: string) => c.query("INSERT INTO events (source, id, type, time, received_at, body, hash) VALUES ('tx', $1, 't', now(), now(), '{}', 'h')", [id]);
      await expect(db.transaction(async (tx) => { await ins(tx, 'x1'); throw new Error('no'); })).rejects.toThrow('no');
      await db.transaction(async (tx) => { await ins(tx, 'x2'); await tx.transaction((inner) => ins(inner, 'x3')); });
      const err = await ins(db, 'x2').catch((e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      expect((await db.query<{ id: string }>("SELECT id FROM events WHERE source = 'tx' ORDER BY id")).map((r) => r.id)).toEqual(['x2', 'x3']);
    });

    it('engine snapshots are saved (a large JSON document) and read back', async () => {
      const state = { v: 1, windows: Array.from({ length: 2000 }, (_, i) => ({ key: `k${i} é 🚓`, ids: [`a${i}`, `b${i}`], at: i })) } as unknown as EngineSnapshot;
      await saveSnapshot(db, 'node-a', NOW, state);
      await saveSnapshot(db, 'node-a', new Date(NOW.getTime() + 1000), state);
      expect(await loadSnapshot(db, 'node-a')).toEqual({ at: new Date(NOW.getTime() + 1000).toISOString(), state, seen: [] });
      await saveSnapshot(db, 'node-a', NOW, state, [['csu', 'e1'], ['csu', 'a\tb']]);
      expect((await loadSnapshot(db, 'node-a'))!.seen).toEqual([['csu', 'e1'], ['csu', 'a\tb']]);
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
      // Times finer than a millisecond: one a page, none skipped.
      const fine = ['2026-11-28T20:00:00.123456Z', '2026-11-28T20:00:00.1235Z', '2026-11-28T20:00:00.123Z', '2026-11-28T20:00:00.1234Z'];
      await insertEvents(db, fine.map((time, i) => ({ event: { ...event(`f${i}`, 0, { source: 'fine' }), time }, hash: `f${i}` })));
      const ids: string[] = [];
      let next: string | undefined;
      do {
        const page = await listEvents(db, { source: 'fine', limit: 1, cursor: next });
        ids.push(...page.events.map((e) => e.id));
        next = page.nextCursor ?? undefined;
      } while (next);
      expect(ids).toEqual(['f1', 'f0', 'f3', 'f2']);
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
      // Held: those whose condition holds, with the kind of rule that last told each (its explanation's), when it says.
      expect(await heldAlertKeys(db, ['cluster'])).toEqual([{ ruleId: 'cluster', key: 'Z2', since: NOW.getTime() }]);
      const told = (kind: 'threshold-early' | 'absence') => ({ ...transition('fired', 'Z1', 1, ['e']), explanation: { ...transition('fired', 'Z1', 1, []).explanation, kind } });
      await applyTransition(db, told('threshold-early'), NOW);
      await applyTransition(db, { ...told('absence'), kind: 'updated' }, NOW);
      expect((await heldAlertKeys(db, ['cluster'])).map((h) => [h.key, h.kind])).toEqual(expect.arrayContaining([['Z1', 'absence'], ['Z2', undefined]]));
      expect(await heldAlertPairs(db, [{ ruleId: 'cluster', key: 'Z2' }, { ruleId: 'cluster', key: 'Z9' }, { ruleId: 'other', key: 'Z1' }])).toEqual(new Set(['cluster\u0000Z2']));
    });

    it("keeps an alert's translations: each title follows the count, the actions stay those it was raised with", async () => {
      const tr = (kind: AlertTransition['kind'], count: number, ids: string[], action: string, key = 'T1') => ({
        ...transition(kind, key, count, ids), translations: { en: { title: `${count} thefts`, actions: [action] } },
      });
      const fired = await applyTransition(db, tr('fired', 2, ['t1', 't2'], 'Go'), NOW);
      expect(fired!.alert.translations).toEqual({ en: { title: '2 thefts', actions: ['Go'] } });
      const updated = await applyTransition(db, tr('updated', 3, ['t3'], 'Go now'), NOW);
      expect(updated!.alert.translations).toEqual({ en: { title: '3 thefts', actions: ['Go'] } });
      expect((await listAlerts(db, { zone: 'T1', limit: 1 }))[0]!.translations).toEqual({ en: { title: '3 thefts', actions: ['Go'] } });
      // An alert raised before its rule had them lists no translated actions: the main ones are its steps.
      await applyTransition(db, transition('fired', 'T3', 1, ['t5']), NOW);
      expect((await applyTransition(db, tr('updated', 2, ['t6'], 'Other step', 'T3'), NOW))!.alert.translations).toEqual({ en: { title: '2 thefts' } });
      // A rule without any gives none.
      expect((await applyTransition(db, transition('fired', 'T2', 1, ['t9']), NOW))!.alert.translations).toEqual({});
    });

    it('last seen is never before an event the alert shows', async () => {
      const later = new Date(NOW.getTime() + 28_000).toISOString();
      const t = transition('fired', 'Z8', 4, ['a8', 'b8']);
      t.evidence[1] = { ...t.evidence[1]!, time: later };
      const { alert } = (await applyTransition(db, t, NOW))!;
      expect([alert.firstAt, alert.lastAt]).toEqual([NOW.toISOString(), later]);
    });

    it('a key firing again counts each event behind its alert once', async () => {
      await applyTransition(db, transition('fired', 'Z7', 4, ['a7', 'b7', 'c7', 'd7']), NOW);
      await applyTransition(db, transition('resolved', 'Z7', 2, []), NOW);
      // The condition back, its window still holding two of the first firing's events: two new ones.
      const again = await applyTransition(db, transition('fired', 'Z7', 4, ['c7', 'd7', 'e7', 'f7']), NOW);
      expect(again!.alert).toMatchObject({ count: 6, conditionActive: true });
      expect(again!.alert.history.map((h) => h.action)).toEqual(['fired', 'condition-cleared', 'condition-again']);
      // A repeat of only new events (a match rule's next episode) adds them all.
      const next = await applyTransition(db, transition('fired', 'Z7', 2, ['g7', 'h7']), NOW);
      expect(next!.alert.count).toBe(8);
      // A measure that is not its events (3 distinct sources among the window's 5 events, 4 of them held): added as it is.
      const distinct = await applyTransition(db, transition('fired', 'Z7', 3, ['d7', 'e7', 'f7', 'g7', 'i7']), NOW);
      expect(distinct!.alert.count).toBe(11);
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
