import pg from 'pg';

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own: while that
 * connection lives, no other session (another node) can take it; when the node dies or the
 * connection drops, PostgreSQL releases it.
 */
export interface SessionLock {
  /** Takes the lock if free (true), or says another session holds it (false); throws when the database does not answer. */
  tryTake(): Promise<boolean>;
  /** Whether the lock is still held: its connection answers within CHECK_MS (else it is dropped, and the lock with it). */
  check(): Promise<boolean>;
  /** Gives the lock up (the connection is closed: whatever it held is released). */
  release(): Promise<void>;
  /** Called once when the lock, held, is lost with its connection. */
  onLost(fn: (error: unknown) => void): void;
}

/**
 * `key` names the lock among Vigie's (see alerts-repo.ts); the schema is part of it, so that
 * deployments (and tests) sharing a database in schemas of their own do not take each other's.
 */
const CHECK_MS = 5000;
/**
 * The lock's connection is watched from both ends: TCP keepalives on this side, and on the
 * database's (per session), so that a node whose host died or was cut off loses the lock
 * within about 25 s instead of the system's default two hours.
 */
const KEEPALIVE = ['SET tcp_keepalives_idle = 10', 'SET tcp_keepalives_interval = 5', 'SET tcp_keepalives_count = 3'];

export function pgSessionLock(config: pg.ClientConfig, key: number): SessionLock {
  let client: pg.Client | undefined;
  let held = false;
  let lost: (error: unknown) => void = () => {};

  const drop = (c: pg.Client, e: unknown) => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    if (held) {
      held = false;
      lost(e);
    }
  };

  return {
    async tryTake() {
      if (held) return true;
      if (!client) {
        const c = new pg.Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
        c.on('error', (e) => drop(c, e));
        c.on('end', () => drop(c, new Error('connection ended')));
        try {
          await c.connect();
          for (const statement of KEEPALIVE) await c.query(statement);
        } catch (e) {
          c.removeAllListeners('end');
          await c.end().catch(() => {});
          throw e;
        }
        client = c;
      }
      const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS ok', [key])).rows;
      held = row?.ok === true;
      return held;
    },
    async check() {
      const c = client;
      if (!held || !c) return false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_MS} ms`)), CHECK_MS); });
      try {
        await Promise.race([c.query('SELECT 1'), late]);
        return true;
      } catch (e) {
        drop(c, e);
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async release() {
      const c = client;
      client = undefined;
      held = false;
      await c?.end().catch(() => {});
    },
    onLost(fn) {
      lost = fn;
    },
  };
}
