import { Worker } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { BINARY, isBinary } from './pglite-binary.mjs';
import { PARSERS } from './pglite-parsers.mjs';
import type { SqlClient } from './sql-client.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(db: Queryable, root: PGlite): SqlClient {
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params, params.some(isBinary) ? BINARY : undefined)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      // PGlite has one connection: a nested transaction runs inside the outer one.
      if (db !== root) return fn(wrap(db, root));
      return root.transaction((tx) => fn(wrap(tx, root)));
    },
    async close() {
      if (!root.closed) await root.close();
    },
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` is a folder, or `memory://` for a throwaway database. */
export async function openPglite(dataDir: string): Promise<SqlClient> {
  return pgliteClient(await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, { parsers: PARSERS }));
}

/** A PGlite database opened by the caller (with Vigie's `PARSERS`), as a SqlClient. */
export const pgliteClient = (db: PGlite): SqlClient => wrap(db, db);

type Answer = { id: number; rows?: unknown[]; tx?: number; error?: { message: string } & Record<string, unknown> };
type Request = { op: 'query' | 'exec' | 'begin' | 'commit' | 'rollback' | 'close'; tx?: number; sql?: string; params?: unknown[] };

/**
 * PGlite on a worker thread (`pglite-worker.mjs`): the same database and the same answers, but
 * its work runs on another core than the caller's. Each statement is one message; an answer
 * comes once the statement is done (a COMMIT, once committed). Parameters and rows cross by
 * structured cloning (a Buffer arrives as a Uint8Array, which is what PGlite gives anyway).
 */
export async function openPgliteWorker(dataDir: string): Promise<SqlClient> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir }, execArgv: [] });
  const pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  worker.unref(); // like PGlite in process: an idle database does not keep the process alive
  const fail = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the PGlite worker exited (${code})`)));
  worker.on('message', (a: Answer) => {
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    if (pending.size === 0) worker.unref();
    if (a.error) p.reject(Object.assign(new Error(a.error.message), a.error));
    else p.resolve(a);
  });
  const call = (r: Request): Promise<Answer> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, ...r });
      } catch (e) { // a parameter that cannot be cloned
        pending.delete(id);
        if (pending.size === 0) worker.unref();
        reject(e);
      }
    });
  };

  const client = (tx?: number): SqlClient => ({
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await call({ op: 'query', tx, sql, params })).rows as T[];
    },
    async exec(sql: string) {
      await call({ op: 'exec', tx, sql });
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (tx !== undefined) return fn(client(tx)); // nested: inside the outer one
      const { tx: id } = await call({ op: 'begin' });
      let out: T;
      try {
        out = await fn(client(id));
      } catch (e) {
        await call({ op: 'rollback', tx: id }).catch(() => {});
        throw e;
      }
      await call({ op: 'commit', tx: id });
      return out;
    },
    async close() {
      if (dead) return;
      await call({ op: 'close' }).catch(() => {});
      dead = new Error('the database is closed');
      await worker.terminate();
    },
  });
  try {
    await call({ op: 'query', sql: 'SELECT 1' }); // opened (or the reason it could not be)
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  return client();
}
