import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../storage/migrate.ts';
import { pgliteClient } from '../storage/pglite-client.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type NodeProcess = { url: string; port: number; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * A migrated PGlite data folder, made once per test process: a node given a new data folder
 * starts from a copy of it, as it would after its own first start's initdb and migrations
 * (which take seconds here), and goes on from there.
 */
let migratedFolder: Promise<string> | undefined;
function migratedPglite(): Promise<string> {
  migratedFolder ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vigie-pglite-template-')), 'pglite');
    const db = await PGlite.create(dir);
    await migrate(pgliteClient(db));
    await db.close();
    return dir;
  })();
  return migratedFolder;
}

/**
 * Starts a Vigie node as one `node` process (its PID stops it) and waits until it says where
 * it listens. PORT=0 picks a free port. A data folder without a database yet gets a migrated
 * one (see `migratedPglite`).
 */
export async function spawnNode(env: Record<string, string>, timeoutMs = 30_000): Promise<NodeProcess> {
  const dataDir = env.VIGIE_DATA_DIR;
  if (dataDir && !env.DATABASE_URL && !existsSync(join(dataDir, 'pglite'))) cpSync(await migratedPglite(), join(dataDir, 'pglite'), { recursive: true });
  return start(env, timeoutMs);
}

function start(env: Record<string, string>, timeoutMs: number): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', VIGIE_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 8000).unref();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`node did not start in time:\n${out}`)); }, timeoutMs);
    const onData = () => {
      const m = /running on http:\/\/localhost:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const port = Number(m[1]);
      resolve({ url: `http://127.0.0.1:${port}`, port, child, output: () => out, stop });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node exited with ${code}:\n${out}`)); });
  });
}
