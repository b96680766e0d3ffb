import { PGlite, type QueryOptions, type Transaction, types } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.ts';

/**
 * A Uint8Array parameter goes as it is, in the binary format (its type's binary input), not
 * through PGlite's text serialisers: a large JSON document (`jsonbParam`) skips a
 * per-character JavaScript loop that way.
 */
const isBinary = (x: unknown) => x instanceof Uint8Array;
const passBinary = (text: (x: unknown) => string) => (x: unknown) => (isBinary(x) ? x : text(x)) as string;
const BINARY: QueryOptions = {
  serializers: {
    [types.JSONB]: passBinary(types.serializers[types.JSONB]!),
    [types.BYTEA]: passBinary(types.serializers[types.BYTEA]!),
  },
};

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
  const db = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir);
  return wrap(db, db);
}
