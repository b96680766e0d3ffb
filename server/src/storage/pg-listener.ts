import pg from 'pg';

export type Listening = { close(): Promise<void> };
export type ListenHandlers = {
  /** A notification's payload. */
  message(payload: string): void;
  /** Listening again after the connection was lost: notifications sent meanwhile are gone. */
  reconnected(): void;
  /** The connection was lost or could not be made; it is tried again after `retryMs`. */
  lost(error: unknown, retryMs: number): void;
  /** How long after a loss it is first tried again (ms; 500 unless said). */
  firstRetryMs?: number;
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * LISTEN on a connection of its own, kept open: when it drops, it is made again (after 0.5 s
 * or `firstRetryMs`, doubling up to 30 s) and LISTEN said again. Resolves once listening the first time; throws
 * if that first connection fails.
 */
export async function pgListen(config: pg.ClientConfig, channel: string, on: ListenHandlers): Promise<Listening> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const first = on.firstRetryMs ?? 500;
  let delay = first;

  const connect = async () => {
    const c = new pg.Client(config);
    c.on('notification', (n) => { if (n.channel === channel) on.message(n.payload ?? ''); });
    c.on('error', (e) => drop(c, e));
    c.on('end', () => drop(c, new Error('connection ended')));
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (e) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      throw e;
    }
    if (closed) { await c.end().catch(() => {}); return; }
    client = c;
    delay = first;
  };
  const drop = (c: pg.Client, e: unknown) => {
    if (closed || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    schedule(e);
  };
  const schedule = (e: unknown) => {
    on.lost(e, delay);
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(() => { if (!closed) on.reconnected(); }, (err: unknown) => { if (!closed) schedule(err); });
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
