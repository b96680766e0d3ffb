import { once } from 'node:events';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { pgListen } from './pg-listener.ts';
import { pgSessionLock } from './pg-session-lock.ts';
import type { SqlClient } from './sql-client.ts';

// int8 (counts, sequences) as numbers: they stay far below 2^53 here.
pg.types.setTypeParser(20, (v) => Number(v));

/** `COPY … FROM STDIN` on one connection; the number of rows copied. */
async function copyOn(c: pg.PoolClient, sql: string, rows: string | Buffer): Promise<number> {
  const stream = c.query(copyFromStdin(sql));
  if (typeof rows === 'string') stream.end(rows, 'utf8');
  else stream.end(rows);
  await once(stream, 'finish');
  return stream.rowCount;
}

/** A transaction's connection: its COPY and NOTIFY are part of it (a notification goes out at commit, and not at all on rollback). */
function wrapClient(c: pg.PoolClient, scoped: (channel: string) => string): SqlClient {
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await c.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
    transaction<T>(fn: (tx: SqlClient) => Promise<T>) {
      return fn(this); // already inside one
    },
    copyFrom: (sql, rows) => copyOn(c, sql, rows),
    async notify(channel: string, payload: string) {
      await c.query('SELECT pg_notify($1, $2)', [scoped(channel), payload]);
    },
    async close() {},
  };
}

/** The first schema of a `search_path` set in the URL's `options`, if any. */
function searchPathOf(connectionString: string): string | undefined {
  let options: string | null = null;
  try {
    options = new URL(connectionString).searchParams.get('options');
  } catch {
    return undefined; // not a URL (a key=value string): no schema of its own
  }
  return /search_path\s*=\s*([^\s,]+)/.exec(options ?? '')?.[1]?.replace(/^"|"$/g, '');
}

/**
 * A pooled connection taken out for a transaction or a COPY, listened to while out: a
 * connection cut then makes `pg` emit 'error' on it besides failing its query, which unheard
 * would end the process. `broken`: what ended it, if anything (then not given back to the pool).
 */
async function checkOut(pool: pg.Pool): Promise<{ client: pg.PoolClient; broken?: Error; release(): void }> {
  const client = await pool.connect();
  const out: { client: pg.PoolClient; broken?: Error; release(): void } = {
    client,
    release: () => {
      client.off('error', onError);
      client.release(out.broken);
    },
  };
  const onError = (e: Error) => { out.broken ??= e; };
  client.on('error', onError);
  return out;
}

/** `name`: the connections' `application_name` (PostgreSQL's pg_stat_activity tells which node holds which connection). */
export type PgOptions = { connectionString: string; schema?: string; max?: number; name?: string };

/** PostgreSQL through a `pg` pool. `schema` sets the search_path (tests isolate themselves that way). */
export function openPg({ connectionString, schema, max = 10, name }: PgOptions): SqlClient {
  const named = name ? { application_name: name } : {};
  const pool = new pg.Pool({
    connectionString,
    max,
    ...named,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {}); // an idle client's error surfaces on the next query
  // Channels are database-wide: a schema (tests, several deployments on one database) has its own,
  // given as an option or in the URL (`?options=-c search_path=…`).
  const inSchema = schema ?? searchPathOf(connectionString);
  const scoped = (channel: string) => (inSchema ? `${channel}.${inSchema}` : channel);
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const out = await checkOut(pool);
      const c = out.client;
      try {
        await c.query('BEGIN');
        const result = await fn(wrapClient(c, scoped));
        await c.query('COMMIT');
        return result;
      } catch (e) {
        // A connection that cannot even roll back (a COPY stream cut halfway, a lost link) is not given back to the pool.
        await c.query('ROLLBACK').catch((r: unknown) => { out.broken ??= r instanceof Error ? r : new Error(String(r)); });
        throw e;
      } finally {
        out.release();
      }
    },
    async copyFrom(sql: string, rows: string | Buffer): Promise<number> {
      const out = await checkOut(pool);
      try {
        return await copyOn(out.client, sql, rows);
      } catch (e) {
        // A refused COPY (a key already stored, a bad value) leaves the connection ready for
        // the next statement; anything else may not have.
        if (!(e as { code?: string }).code) out.broken ??= e as Error;
        throw e;
      } finally {
        out.release();
      }
    },
    async notify(channel: string, payload: string) {
      await pool.query('SELECT pg_notify($1, $2)', [scoped(channel), payload]);
    },
    listen(channel, on) {
      return pgListen({ connectionString, ...named }, scoped(channel), on);
    },
    sessionLock(key) {
      return pgSessionLock({ connectionString, ...named, ...(schema ? { options: `-c search_path=${schema}` } : {}) }, key);
    },
    async close() {
      await pool.end();
    },
  };
}
