import { connect, createServer, type Socket } from 'node:net';

/** PostgreSQL's simple-protocol message for `COMMIT` (as `pg` sends `client.query('COMMIT')`). */
const COMMIT = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')]);

/**
 * What the next COMMIT loses: the server's answer (it is stored, the client never hears so);
 * the connection 20 ms after the request went on (a slow COMMIT is still being made then: the
 * server finishes it); or the request itself (nothing stored).
 */
export type CommitLoss = 'answer' | 'while-committing' | 'request';

export type LossyProxy = {
  /** The database URL `url` through the proxy. */
  through(url: string): string;
  /** The next COMMIT on any connection loses `what`: that connection is then cut. */
  loseNextCommit(what: CommitLoss): void;
  /** COMMITs lost so far. */
  readonly lost: number;
  close(): Promise<void>;
};

/**
 * A TCP proxy in front of PostgreSQL that can cut a connection just as a COMMIT goes by: the
 * failure no client-side stub can fake, where the client cannot tell whether its transaction
 * was stored.
 */
export async function lossyProxy(host: string, port: number): Promise<LossyProxy> {
  let armed: CommitLoss | undefined;
  let lost = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host, port });
    open.add(client).add(upstream);
    let cutOnAnswer = false;
    const cut = () => { client.destroy(); upstream.destroy(); };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(COMMIT)) {
        const what = armed;
        armed = undefined;
        lost++;
        if (what === 'request') return cut();
        if (what === 'while-committing') setTimeout(cut, 20);
        else cutOnAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => (cutOnAnswer ? cut() : client.write(chunk)));
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => { open.delete(s); cut(); });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as { port: number }).port;
  return {
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxyPort);
      return u.toString();
    },
    loseNextCommit(what) { armed = what; },
    get lost() { return lost; },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
