/**
 * How long a node waits by default at start for PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)
 * to answer before it gives up (VIGIE_STARTUP_WAIT_MS): long enough for a service started
 * beside it (docker compose, a restart of the machine) to come up, short enough that a wrong
 * address is told at once.
 */
export const STARTUP_CONNECT_MS = 15_000;

/** A wait in ms as messages say it: `15 s`, `2.5 s`. */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * A service the configuration names cannot be used (unreachable, refused, no such database):
 * the node does not start. Its message is one line naming the variable and the address (never
 * a password); main.ts logs it and exits 2, as for a bad configuration.
 */
export class StartupError extends Error {}

/** `host:port` (and `/database` when asked) of a service URL, for messages: no user name, no password. */
export function addressOf(url: string, defaultPort: number, withPath = false): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || defaultPort}${withPath ? u.pathname.replace(/^\/$/, '') : ''}`;
  } catch {
    return 'an address that is not a URL';
  }
}

/** The short reason of a connection error (`ECONNREFUSED`, a server's message), on one line. */
export function reasonOf(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  // AggregateError (several addresses tried): its own message is empty, its code says it.
  if (typeof err?.message === 'string' && err.message) return err.message.replace(/\s+/g, ' ');
  return typeof err?.code === 'string' ? err.code : String(e);
}

/** Resolves after `ms`, or as soon as `signal` aborts (rejecting with its reason). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What a partly built node has opened, closed in the reverse order if it does not get to the
 * end of its start (a service unreachable, a signal): a database folder left open, a lock left
 * taken, would outlive the attempt.
 */
export class Opened {
  private readonly closers: { what: string; close: () => Promise<unknown> }[] = [];

  add(what: string, close: () => Promise<unknown>): void {
    this.closers.push({ what, close });
  }

  /** Closes everything, the last opened first; a close that fails does not keep the others open. */
  async closeAll(onError: (what: string, e: unknown) => void): Promise<void> {
    for (const { what, close } of this.closers.splice(0).reverse()) {
      await close().catch((e: unknown) => onError(what, e));
    }
  }
}
