import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(db: Queryable, root: PGlite): SqlClient {
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
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
  const db = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir);
  return wrap(db, db);
}
