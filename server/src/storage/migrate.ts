import { readdir, readFile } from 'node:fs/promises';
import type { SqlClient } from './sql-client.ts';

const DIR = new URL('./migrations/', import.meta.url);

/** Applies the SQL files of `migrations/` not yet applied, in name order, each in a transaction. */
export async function migrate(db: SqlClient): Promise<string[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = await readFile(new URL(name, DIR), 'utf8');
    const done = await db.transaction(async (tx) => {
      // Two nodes starting together: the second waits here, then sees the migration done.
      await tx.query('SELECT pg_advisory_xact_lock(7215)');
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name]);
      if (seen.length) return false;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
