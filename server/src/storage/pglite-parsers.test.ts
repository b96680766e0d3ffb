import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite, openPgliteWorker } from './pglite-client.ts';
import { iso } from './sql-client.ts';

// Read back as they were written, on PGlite in process and on its thread (its own reader takes year 1 for 2001).
const VALUES: [string, string][] = [
  ['0001-01-02T00:00:00Z', '0001-01-02T00:00:00.000Z'],
  ['0099-06-01T12:00:00Z', '0099-06-01T12:00:00.000Z'],
  ['2026-11-30T10:00:00.123456Z', '2026-11-30T10:00:00.123Z'],
  ['2026-11-30T10:00:00.5+05:30', '2026-11-30T04:30:00.500Z'],
];

describe.each([['in process', openPglite], ['on its thread', openPgliteWorker]])('PGlite %s reads timestamps', (_, open) => {
  it('of any year, with fractions and offsets, as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-ts-'));
    const db = await open(dir);
    try {
      for (const [written, read] of VALUES) {
        const [row] = await db.query<{ t: unknown }>('SELECT $1::timestamptz AS t', [written]);
        expect(iso(row!.t)).toBe(read);
      }
      // A time zone whose offset has seconds (local mean time, before 1911 in Paris) and a date before Christ.
      await db.exec("SET TIME ZONE 'Europe/Paris'");
      const [lmt] = await db.query<{ t: unknown }>("SELECT '1900-01-01T00:00:00Z'::timestamptz AS t");
      expect(iso(lmt!.t)).toBe('1900-01-01T00:00:00.000Z');
      await db.exec("SET TIME ZONE 'UTC'");
      const [bc] = await db.query<{ t: Date }>("SELECT '0044-03-15 12:00:00+00 BC'::timestamptz AS t");
      expect(bc!.t.getUTCFullYear()).toBe(-43);
      const [inf] = await db.query<{ t: unknown }>("SELECT 'infinity'::timestamptz AS t");
      expect(inf!.t).toBe(Infinity);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
