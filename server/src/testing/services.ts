import { connect } from 'node:net';
import pg from 'pg';
import { redisServerRuns } from './redis-server.ts';

/** Where the integration tests find the real services (the CI machine's defaults). */
export const TEST_DATABASE_URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.VIGIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_MQTT_URL = process.env.VIGIE_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

function tcpReachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Whether a service the test needs is there. Outside CI a missing service skips the test with
 * a line saying why; under CI=true it is an error, so that a skipped integration test fails the run.
 */
async function available(name: string, probe: () => Promise<boolean>): Promise<boolean> {
  if (await probe()) return true;
  const why = `${name} is not reachable`;
  if (process.env.CI === 'true') throw new Error(`${why}: integration tests cannot be skipped under CI=true`);
  console.warn(`SKIPPED: ${why}; the tests that need it are skipped (they run in CI).`);
  return false;
}

export function postgresAvailable(): Promise<boolean> {
  return available(`PostgreSQL at ${TEST_DATABASE_URL}`, async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  });
}

export function redisAvailable(): Promise<boolean> {
  const u = new URL(TEST_REDIS_URL);
  return available(`Redis at ${TEST_REDIS_URL}`, () => tcpReachable(u.hostname, Number(u.port || 6379)));
}

export function mqttAvailable(): Promise<boolean> {
  const u = new URL(TEST_MQTT_URL);
  return available(`MQTT broker at ${TEST_MQTT_URL}`, () => tcpReachable(u.hostname, Number(u.port || 1883)));
}

/** Whether a `redis-server` binary runs here: the Redis outage tests start (and kill) one of their own. */
export function redisServerAvailable(): Promise<boolean> {
  return available('the redis-server binary', async () => redisServerRuns());
}
