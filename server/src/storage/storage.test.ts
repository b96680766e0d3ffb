import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryDatabase } from '../testing/databases.ts';
import { migrate } from './migrate.ts';
import { openPgliteWorker } from './pglite-client.ts';
import { storageSuite } from './storage.suite.ts';

storageSuite('PGlite', memoryDatabase);
// What `openDatabase` opens for a data folder: PGlite on a worker thread.
storageSuite('PGlite on a worker thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-storage-'));
  const db = await openPgliteWorker(dir);
  await migrate(db);
  return { db, drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('PGlite on a worker thread', () => {
  it('refuses a parameter it cannot send, and goes on; refuses statements once closed', async () => {
    const db = await openPgliteWorker('memory://');
    await expect(db.query('SELECT $1::text AS x', [() => 1])).rejects.toThrow();
    expect(await db.query('SELECT $1::text AS x', ['ok'])).toEqual([{ x: 'ok' }]);
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('the database is closed');
  });
});
