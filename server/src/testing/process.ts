import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../storage/migrate.ts';
import { pgliteClient } from '../storage/pglite-client.ts';
import { dropStaleTemplates } from './stale-templates.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type NodeProcess = { url: string; port: number; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * A migrated PGlite data folder, made once for every test process of this machine and kept in
 * the temporary folder under a name that says which migrations and which PGlite made it: a node
 * given a new data folder starts from a copy of it, as it would after its own first start's
 * initdb and migrations (about 6 s here, in each of the browser tests' files), and goes on from
 * there. Made beside its final name and renamed into it, so a process never copies half a folder.
 */
let migratedFolder: Promise<string> | undefined;
function migratedPglite(): Promise<string> {
  migratedFolder ??= (async () => {
    const name = `vigie-pglite-${templateName()}`, dir = join(tmpdir(), name);
    if (existsSync(join(dir, COMPLETE))) {
      // Used now: not stale for another checkout's cleaning (see dropStaleTemplates).
      utimesSync(dir, new Date(), new Date());
      return dir;
    }
    // A new template: those of older migrations go, once nobody has used them for a day.
    dropStaleTemplates(tmpdir(), name);
    const making = mkdtempSync(`${dir}-making-`);
    const made = join(making, 'pglite');
    const db = await PGlite.create(made);
    await migrate(pgliteClient(db));
    await db.close();
    writeFileSync(join(made, COMPLETE), '');
    try {
      renameSync(made, dir);
    } catch (e) {
      if (!existsSync(dir)) throw e;
      // The name is taken: by another process's whole template (that one serves), or by a folder
      // without its mark (a cleaner of the temporary folder went through it), never touched here
      // (another process may be copying it): this process's own serves it.
      if (!existsSync(join(dir, COMPLETE))) return made;
    }
    rmSync(making, { recursive: true, force: true });
    return dir;
  })();
  return migratedFolder;
}

/** The file that marks a template whole (written last, before it takes its name). */
const COMPLETE = '.vigie-template-complete';

/** The migrations' texts, the code that applies them and PGlite's version, hashed. */
function templateName(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(new URL('../storage/migrate.ts', import.meta.url))));
  const migrations = fileURLToPath(new URL('../storage/migrations/', import.meta.url));
  for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite'); // …/pglite/dist/index.cjs
  hash.update(readFileSync(join(dirname(dirname(pglite)), 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

/** A new data folder (in the temporary folder, named `prefix…`) holding a migrated PGlite database, as a first start leaves it. */
export async function migratedDataDir(prefix = 'vigie-data-'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(await migratedPglite(), join(dir, 'pglite'), { recursive: true });
  return dir;
}

/**
 * Starts a Vigie node as one `node` process (its PID stops it) and waits until it says where
 * it listens. PORT=0 picks a free port. A data folder without a database yet gets a migrated
 * one (see `migratedPglite`).
 */
export async function spawnNode(env: Record<string, string>, timeoutMs = 30_000): Promise<NodeProcess> {
  const dataDir = env.VIGIE_DATA_DIR;
  if (dataDir && dataDir !== 'memory://' && !env.DATABASE_URL && !existsSync(join(dataDir, 'pglite'))) cpSync(await migratedPglite(), join(dataDir, 'pglite'), { recursive: true });
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

export type Exit = { code: number | null; stdout: string; stderr: string; ms: number };

/**
 * Runs a node process until it exits (a start that fails, a stop), and says how: exit code
 * (null when it had to be killed after `timeoutMs`), output and time taken. `signal`: sent
 * once stderr matches `after` (a stop while starting).
 */
export function runNode(env: Record<string, string>, opts: { timeoutMs?: number; signal?: { name: NodeJS.Signals; after: RegExp } } = {}): Promise<Exit> {
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', VIGIE_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  let signalled = false;
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => {
    stderr += d;
    if (opts.signal && !signalled && opts.signal.after.test(stderr)) {
      signalled = true;
      child.kill(opts.signal.name);
    }
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal === 'SIGKILL' ? null : code, stdout, stderr, ms: Date.now() - began });
    });
  });
}
