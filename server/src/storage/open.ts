import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { addressOf, pause, reasonOf, seconds, STARTUP_CONNECT_MS, StartupError } from '../startup.ts';
import { migrate } from './migrate.ts';
import { openPg } from './pg-client.ts';
import { openPglite, openPgliteWorker } from './pglite-client.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * PostgreSQL when a URL is given, else PGlite in `<dataDir>/pglite` (on a worker thread of its
 * own; `memory://` stays in process); migrated either way. PostgreSQL must answer within
 * `waitMs` (VIGIE_STARTUP_WAIT_MS; a StartupError naming DATABASE_URL otherwise); `signal` stops the
 * waiting for it (a PGlite being made is left to finish: cut, its folder could be left half made).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; signal?: AbortSignal; waitMs?: number; name?: string }): Promise<SqlClient> {
  let db: SqlClient;
  if (opts.databaseUrl) {
    await reachPostgres(opts.databaseUrl, opts.waitMs ?? STARTUP_CONNECT_MS, opts.signal);
    db = openPg({ connectionString: opts.databaseUrl, name: opts.name });
  } else if (opts.dataDir === 'memory://') db = await openPglite('memory://');
  else {
    const dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    db = await openPgliteWorker(dir);
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
  return db;
}

/** Between two attempts to reach PostgreSQL at start. */
const RETRY_MS = 500;

/**
 * Waits until PostgreSQL at `url` takes a connection, for `waitMs` at most: no
 * answer (not there yet, starting) is tried again; an answer that refuses (no such database,
 * wrong password: an SQLSTATE) is final at once. Either way the StartupError names
 * DATABASE_URL and the server, never the password.
 */
async function reachPostgres(url: string, waitMs: number, signal?: AbortSignal): Promise<void> {
  const address = addressOf(url, 5432, true);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(1000, deadline - Date.now()) });
    c.on('error', () => {}); // a connection lost after the check: nothing to do with it
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch (e) {
      // The server's own answer (an SQLSTATE), not a connection that failed.
      if (e instanceof pg.DatabaseError && !WAIT_FOR.has(e.code ?? '')) {
        throw new StartupError(`DATABASE_URL: PostgreSQL at ${address} refused the connection: ${reasonOf(e)}`);
      }
      if (Date.now() + RETRY_MS >= deadline) {
        throw new StartupError(`DATABASE_URL: PostgreSQL at ${address} did not answer within ${seconds(waitMs)} (${reasonOf(e)})`);
      }
    } finally {
      await c.end().catch(() => {});
    }
    await pause(RETRY_MS, signal);
  }
}

/** SQLSTATEs that say the server is there but not ready yet: starting, shutting down, too busy. */
const WAIT_FOR = new Set(['57P03', '57P01', '53300']);
