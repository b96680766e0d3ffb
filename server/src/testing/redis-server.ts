import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createClient } from 'redis';

export type PrivateRedis = {
  url: string;
  port: number;
  /** Kills it as a crash would (nothing saved: it holds nothing anyway). */
  kill: () => Promise<void>;
  /** Starts it again on the same port. */
  start: () => Promise<void>;
};

/** Whether the `redis-server` binary is there to run (see `redisServerAvailable` in services.ts). */
export function redisServerRuns(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port nothing listens on now (taken, then given back): for a server of the test's own, or one to find closed. */
export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A throwaway redis-server of the test's own on a free port, that the test may kill and start
 * again (a Redis outage) without touching the shared one. `kill` it in teardown.
 */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Answering once it pings back.
    for (let i = 0; ; i++) {
      const c = createClient({ url, socket: { reconnectStrategy: false } });
      c.on('error', () => {});
      const up = await c.connect().then(() => c.ping()).then(() => true, () => false);
      await c.close().catch(() => {});
      if (up) return;
      if (i > 100) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = once(c, 'exit');
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return { url, port, kill, start };
}
