import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../storage/sql-client.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { IngestPipeline } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';

const NOW = new Date('2026-11-28T20:00:00Z');
let t: TestDatabase;
beforeAll(async () => { t = await memoryDatabase(); });
afterAll(async () => { await t?.drop(); });

/** The test database, refusing any write of events that holds `poison` (as PostgreSQL refuses a value it cannot take: SQLSTATE 22…). */
function refusing(db: SqlClient, poison: string): { client: SqlClient; writes: () => number } {
  let writes = 0;
  const client: SqlClient = Object.create(db);
  client.query = async (sql, params) => {
    if (/^\s*INSERT INTO events/.test(sql)) {
      writes++;
      if (params?.some((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : JSON.stringify(p) ?? '').includes(poison))) {
        throw Object.assign(new Error('date/time field value out of range'), { code: '22008' });
      }
    }
    return db.query(sql, params);
  };
  return { client, writes: () => writes };
}

describe('IngestPipeline, when the database refuses an item validation let through', () => {
  it('refuses that item alone, with its index and the database\'s reason; the rest of the batch is stored', async () => {
    const db = refusing(t.db, 'poison');
    const pipeline = new IngestPipeline(db.client, new Pseudonymiser('pipeline-test-key-0123456789', 'k1'), () => NOW);
    const items = Array.from({ length: 10 }, (_, i) => ({ id: i === 6 ? 'poison' : `ok-${i}`, source: 'csu', type: 'incident.theft', time: NOW.toISOString() }));
    const r = await pipeline.ingest(items, { name: 'test', sources: null });
    expect(r.accepted).toBe(9);
    expect(r.rejected).toEqual([{ index: 6, error: { code: 'VIGIE_EVENT_INVALID', message: expect.stringContaining('refused'), reason: { key: 'invalid' } } }]);
    const stored = await t.db.query<{ id: string }>("SELECT id FROM events WHERE source = 'csu' ORDER BY id");
    expect(stored.map((s) => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `ok-${i}`).filter((id) => id !== 'ok-6'));
    expect(db.writes()).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(10))); // halves, not one write per item
  });
});

describe('IngestPipeline, a batch written long after it was prepared', () => {
  it('is stamped received when it is written (a message tried again for minutes is not replayed from behind a snapshot)', async () => {
    let clock = Date.parse('2026-11-28T20:00:00Z');
    const pipeline = new IngestPipeline(t.db, new Pseudonymiser('pipeline-test-key-0123456789', 'k1'), () => new Date(clock));
    const batch = pipeline.prepare([{ id: 'late-write', source: 'restamp', type: 'incident.theft', time: '2026-11-28T19:59:00Z' }], { name: 'test', sources: null });
    clock += 90_000; // the database was away a minute and a half
    expect((await pipeline.write(batch)).accepted).toBe(1);
    const [row] = await t.db.query<{ received_at: unknown; body: { receivedAt: string } }>("SELECT received_at, body FROM events WHERE source = 'restamp'");
    expect(new Date(String(row!.received_at instanceof Date ? row!.received_at.toISOString() : row!.received_at)).toISOString()).toBe('2026-11-28T20:01:30.000Z');
    expect(row!.body.receivedAt).toBe('2026-11-28T20:01:30.000Z');
  });
});

describe('IngestPipeline after a pseudonym key rotation', () => {
  it('takes an event sent again with the same personal data for the duplicate it is, not a conflict; other data still conflicts', async () => {
    const sender = { name: 'test', sources: null };
    const item = (phone: string) => ({ id: 'rotated-1', source: 'rotation', type: 'incident.theft', time: '2026-11-28T19:59:00Z', attributes: { phone, injured: 1 } });
    const before = new IngestPipeline(t.db, new Pseudonymiser('the-key-before-rotation-0123', 'k1'), () => NOW);
    expect((await before.ingest([item('06 12 34 56 78')], sender)).accepted).toBe(1);
    const after = new IngestPipeline(t.db, new Pseudonymiser('the-key-after-rotation-45678', 'k2', [{ id: 'k1', key: 'the-key-before-rotation-0123' }]), () => NOW);
    expect(await after.ingest([item('06 12 34 56 78')], sender)).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
    // Its time written another way too (another offset): still the same event.
    expect(await after.ingest([{ ...item('06 12 34 56 78'), time: '2026-11-28T20:59:00+01:00' }], sender)).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
    expect((await after.ingest([item('06 98 76 54 32')], sender)).rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_EVENT_CONFLICT' }) }]);
  });
});

describe('IngestPipeline when the database fails after a write committed', () => {
  it('has told its listeners of the events stored before the failure (a retry finds them stored, and would never tell)', async () => {
    const sender = { name: 'test', sources: null };
    const p = new Pseudonymiser('pipeline-test-key-0123456789', 'k1');
    const e = (id: string, severity: number) => ({ id, source: 'blip', type: 'incident.theft', time: NOW.toISOString(), severity });
    await new IngestPipeline(t.db, p, () => NOW).ingest([e('old', 1)], sender);
    const failing: SqlClient = Object.create(t.db);
    failing.query = async (sql, params) => {
      if (/FROM events e JOIN unnest/.test(sql)) throw new Error('Connection terminated unexpectedly');
      return t.db.query(sql, params);
    };
    const pipeline = new IngestPipeline(failing, p, () => NOW);
    const told: string[] = [];
    pipeline.onStored((events) => told.push(...events.map((x) => x.id)));
    // 'old' again with another body: a conflict to look up, and the look-up fails.
    await expect(pipeline.ingest([e('new', 2), e('old', 3)], sender)).rejects.toThrow(/Connection terminated/);
    expect(told).toEqual(['new']);
    expect((await t.db.query<{ id: string }>("SELECT id FROM events WHERE source = 'blip' ORDER BY id")).map((r) => r.id)).toEqual(['new', 'old']);
  });
});
