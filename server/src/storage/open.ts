import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate } from './migrate.ts';
import { openPg } from './pg-client.ts';
import { openPglite, openPgliteWorker } from './pglite-client.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * PostgreSQL when a URL is given, else PGlite in `<dataDir>/pglite` (on a worker thread of its
 * own; `memory://` stays in process); migrated either way.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<SqlClient> {
  let db: SqlClient;
  if (opts.databaseUrl) db = openPg({ connectionString: opts.databaseUrl });
  else if (opts.dataDir === 'memory://') db = await openPglite('memory://');
  else {
    const dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    db = await openPgliteWorker(dir);
  }
  await migrate(db);
  return db;
}
