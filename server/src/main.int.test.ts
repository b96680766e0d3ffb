import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { runNode, spawnNode, type Exit } from './testing/process.ts';
import { freePort } from './testing/redis-server.ts';
import { postgresAvailable, TEST_DATABASE_URL } from './testing/services.ts';

const postgres = await postgresAvailable();

/** The JSON log lines of stderr; a line that is not JSON fails the test (logs are JSON lines). */
function logLines(stderr: string): { level: string; msg: string; [k: string]: unknown }[] {
  return stderr.split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as { level: string; msg: string };
    } catch {
      throw new Error(`not a JSON log line: ${l}\n--- stderr:\n${stderr}`);
    }
  });
}

/** The one line a start that fails ends on: an error naming the variable, and no stack trace. */
function failedWith(exit: Exit, msg: RegExp) {
  expect(exit.code, exit.stderr).toBe(2);
  const lines = logLines(exit.stderr);
  expect(lines.at(-1)).toMatchObject({ level: 'error', msg: expect.stringMatching(msg) });
  expect(exit.stderr).not.toMatch(/\n\s+at /);
  return lines;
}

/** How long the node tried (ms): from its `starting` line to its last. */
const tried = (exit: Exit) => {
  const lines = logLines(exit.stderr);
  return Date.parse(lines.at(-1)!.t as string) - Date.parse(lines.find((l) => l.msg === 'starting')!.t as string);
};

const demo = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_TILE_URL: '' };
const dataDir = () => mkdtempSync(join(tmpdir(), 'vigie-main-'));

describe.concurrent('a node whose services cannot be used does not start: exit 2, one line naming the variable', () => {
  // VIGIE_STARTUP_WAIT_MS shortens the wait (15 s by default, as config.test.ts says).
  it('REDIS_URL unreachable: gives up after VIGIE_STARTUP_WAIT_MS, naming the address (not the password), without a line per attempt', async () => {
    const port = await freePort();
    const exit = await runNode({ ...demo, VIGIE_LOG: 'info', VIGIE_DATA_DIR: dataDir(), REDIS_URL: `redis://:redis-secret@127.0.0.1:${port}`, VIGIE_STARTUP_WAIT_MS: '3000' }, { timeoutMs: 30_000 });
    const lines = failedWith(exit, new RegExp(`^REDIS_URL: Redis at 127\\.0\\.0\\.1:${port} did not answer within 3 s \\(.*ECONNREFUSED.*\\)$`));
    expect(tried(exit)).toBeGreaterThanOrEqual(2_900);
    expect(tried(exit)).toBeLessThan(5_000);
    expect(lines.filter((l) => /redis/i.test(l.msg) || /redis/i.test(String(l.error)))).toHaveLength(1);
    expect(exit.stderr).not.toContain('redis-secret');
  }, 35_000);

  it('DATABASE_URL unreachable: gives up after VIGIE_STARTUP_WAIT_MS, naming the address and database (not the password)', async () => {
    const port = await freePort();
    const exit = await runNode({ ...demo, VIGIE_LOG: 'info', DATABASE_URL: `postgres://vigie:pg-secret@127.0.0.1:${port}/vigie`, VIGIE_STARTUP_WAIT_MS: '2500' }, { timeoutMs: 30_000 });
    failedWith(exit, new RegExp(`^DATABASE_URL: PostgreSQL at 127\\.0\\.0\\.1:${port}/vigie did not answer within 2\\.5 s \\(.*ECONNREFUSED.*\\)$`));
    expect(tried(exit)).toBeGreaterThanOrEqual(2_000);
    expect(tried(exit)).toBeLessThan(5_000);
    expect(exit.stderr).not.toContain('pg-secret');
  }, 35_000);

  it.skipIf(!postgres)('DATABASE_URL naming a database that does not exist: at once, with what the server said', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/vigie_no_such_database';
    const exit = await runNode({ ...demo, VIGIE_LOG: 'info', DATABASE_URL: url.toString() }, { timeoutMs: 20_000 });
    failedWith(exit, new RegExp(`^DATABASE_URL: PostgreSQL at ${url.hostname.replace(/\./g, '\\.')}:${url.port || 5432}/vigie_no_such_database refused the connection: database "vigie_no_such_database" does not exist$`));
    expect(tried(exit)).toBeLessThan(5000);
  }, 25_000);

  it('DATABASE_URL of another scheme: refused as a configuration error, without the URL', async () => {
    const exit = await runNode({ ...demo, DATABASE_URL: 'mysql://vigie:pg-secret@127.0.0.1:3306/vigie' }, { timeoutMs: 20_000 });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^ {2}DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ URL is expected/m);
    expect(exit.stderr).not.toContain('pg-secret');
    expect(exit.stderr).not.toMatch(/\n\s+at /);
  }, 25_000);
});

describe('a node whose MQTT_URL is unreachable', () => {
  it('starts all the same, and says once (naming MQTT_URL and the address, not the password) that it keeps trying', async () => {
    const port = await freePort();
    const node = await spawnNode({ ...demo, VIGIE_DATA_DIR: dataDir(), MQTT_URL: `mqtt://vigie:mqtt-secret@127.0.0.1:${port}` }, 60_000);
    try {
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 4500)); // two more attempts at least (every 2 s)
      const told = logLines(node.output().split('\n').filter((l) => l.startsWith('{')).join('\n')).filter((l) => /^mqtt:/.test(l.msg));
      expect(told).toEqual([expect.objectContaining({ level: 'warn', msg: `mqtt: cannot reach the broker of MQTT_URL (127.0.0.1:${port}); trying again every 2 s` })]);
      expect(node.output()).not.toContain('mqtt-secret');
    } finally {
      await node.stop();
    }
  }, 90_000);
});

describe('a stop while starting (SIGTERM, SIGINT)', () => {
  it('while waiting for PostgreSQL: stops at once (not 15 s later), and logs how long stopping took', async () => {
    const port = await freePort();
    const exit = await runNode({ ...demo, VIGIE_LOG: 'info', DATABASE_URL: `postgres://vigie@127.0.0.1:${port}/vigie` }, { timeoutMs: 20_000, signal: { name: 'SIGTERM', after: /"msg":"starting"/ } });
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain('SIGTERM: stopping');
    const last = logLines(exit.stderr).at(-1);
    expect(last).toMatchObject({ level: 'info', msg: 'stopped', signal: 'SIGTERM', ms: expect.any(Number) });
    expect(last!.ms).toBeLessThan(2000);
  }, 25_000);

  it('during a first PGlite start: lets the database be made, closes it, and exits 0; the folder opens afterwards', async () => {
    const dir = dataDir();
    const exit = await runNode({ ...demo, VIGIE_LOG: 'info', VIGIE_DATA_DIR: dir }, { timeoutMs: 60_000, signal: { name: 'SIGINT', after: /"msg":"starting"/ } });
    expect(exit.code, exit.stderr).toBe(0);
    expect(logLines(exit.stderr).at(-1)).toMatchObject({ level: 'info', msg: 'stopped', signal: 'SIGINT' });
    // Not started: nothing past the database was opened.
    expect(exit.stdout).not.toContain('running on');
    const db = await PGlite.create(join(dir, 'pglite'));
    try {
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 90_000);
});
