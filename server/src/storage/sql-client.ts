import type { ListenHandlers, Listening } from './pg-listener.ts';
import type { SessionLock } from './pg-session-lock.ts';

/** The one database interface: PGlite (embedded) and PostgreSQL (`pg`) implement it. */
export interface SqlClient {
  readonly kind: 'pglite' | 'postgres';
  /** One statement with $1… parameters; the rows it returns. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * `COPY … FROM STDIN` fed with `rows` in the text format (see copy-text.ts; a Buffer: UTF-8), in a
   * transaction of its own (or the transaction's, called on one); the number of rows copied.
   * PostgreSQL only: on PGlite COPY measured no faster than a multi-row INSERT.
   */
  copyFrom?(sql: string, rows: string | Buffer): Promise<number>;
  /** PostgreSQL only: NOTIFY on `channel` (a channel of this client's schema); in a transaction, sent at its commit. */
  notify?(channel: string, payload: string): Promise<void>;
  /** PostgreSQL only: LISTEN on `channel` (of this client's schema) on a connection of its own, made again when lost. */
  listen?(channel: string, on: ListenHandlers): Promise<Listening>;
  /** PostgreSQL only: an advisory lock (of this client's schema) held on a connection of its own. */
  sessionLock?(key: number): SessionLock;
  close(): Promise<void>;
}

/** Timestamps come back as Date (PGlite) or string (pg): both become ISO strings. */
export function iso(v: unknown): string {
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

/** int8 comes back as string from pg and as number or bigint elsewhere. */
export const num = (v: unknown): number => Number(v);

/**
 * Whether the database refused the statement itself (SQLSTATE classes 22 data exception, 23
 * integrity constraint, 42 syntax or access rule): trying it again cannot help. Anything else
 * (a lost connection, a database restarting, a full disk, a crashed worker) may pass.
 */
export const isRefusedByDatabase = (e: unknown): boolean => /^(22|23|42)/.test(String((e as { code?: unknown })?.code ?? ''));

/**
 * Whether an error says the database is away for now (it may answer later): a connection
 * lost, refused or timed out, a server shutting down or short of resources, a serialization
 * failure or deadlock.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  if (/^(08|53|57P0|58|40001$|40P01$)/.test(code)) return true;
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code)) return true;
  return /connection terminated|connection (?:closed|ended|lost|refused)|timeout exceeded when trying to connect|terminating connection|the database system is (?:starting up|shutting down)/i
    .test(String((e as { message?: unknown })?.message ?? e));
}

/** PostgreSQL's unique_violation. */
export const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/**
 * A large JSON text as a jsonb parameter in the binary format (a version byte, then the
 * text): both drivers pass it on as it is, without measuring or escaping it character by
 * character in JavaScript. For `$n::jsonb` parameters.
 */
export const jsonbParam = (json: string): Buffer => Buffer.from(`\u0001${json}`, 'utf8');
