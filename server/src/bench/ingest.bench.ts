// `npm run bench:ingest -w @vigie/server` (and `npm run bench`): ingest throughput, durably
// stored (a 2xx only after the batch committed; MQTT counted once the rows are in the table),
// through the whole pipeline (validation, pseudonymisation, idempotency, batched write, the
// engine listening) for batched HTTP (`POST /api/v1/events`, 1000 per request) and MQTT
// (GTFS-RT messages of 1000 vehicles on the in-process broker), on PGlite (a data folder, on
// its worker thread as `openDatabase` opens it) and
// on PostgreSQL (its own schema), beside one INSERT per event in the same run (the baseline).
// Goals: 50 000 events/s on PGlite, 100 000 on PostgreSQL. BENCH_INGEST_EVENTS changes the size;
// BENCH_INGEST_DB=pglite or postgres runs one database only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { loadConfig } from '../config.ts';
import { encodeFeedMessage } from '../feeds/gtfs-rt/gtfs-rt-adapter.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../storage/open.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { createVigie } from '../vigie.ts';

const N = Number(process.env.BENCH_INGEST_EVENTS ?? 100_000);
const BATCH = 1000;
const CONCURRENCY = 4;
const BASELINE_ROWS = Math.min(5000, N);
const T0 = Date.parse('2026-11-28T20:00:00Z');

const event = (run: string, i: number) => ({
  id: `${run}-${i}`, source: 'bench', type: i % 3 ? 'incident.theft' : 'transport.delay', time: new Date(T0 + i).toISOString(),
  location: { lat: 43.25 + (i % 1000) / 10_000, lon: 5.35 + (i % 777) / 10_000 }, severity: 1 + (i % 5),
  attributes: { n: i, plate: `AB-${String(i % 1000).padStart(3, '0')}-CD` }, text: 'Vol signalé, témoin au 06 12 34 56 78',
});

/** CPU time of this process (all its threads: the server, its PGlite thread, the load client), in µs. */
const cpuMicros = (u: NodeJS.CpuUsage) => u.user + u.system;

/** One INSERT per event, one after the other: what a naive ingest does. */
async function perRow(db: SqlClient): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < BASELINE_ROWS; i++) {
    const e = event('row', i);
    await db.query(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash)
       VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8::jsonb, $9) ON CONFLICT (source, id) DO NOTHING`,
      ['bench-row', e.id, e.type, e.time, e.location.lat, e.location.lon, e.severity, JSON.stringify(e), 'h'],
    );
  }
  return BASELINE_ROWS / ((performance.now() - start) / 1000);
}

async function run(label: string, db: SqlClient): Promise<void> {
  const config = loadConfig({ VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_LOG: 'error', VIGIE_TILE_URL: '', VIGIE_FEED_RATE_LIMIT: '0' });
  const vigie = await createVigie(config, { db, log: createLogger('error') });
  const { port } = await vigie.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  try {
    const baseline = await perRow(db);

    // Batched HTTP: N events, 1000 per request, a few requests in flight.
    const bodies = Array.from({ length: N / BATCH }, (_, b) => JSON.stringify(Array.from({ length: BATCH }, (_, k) => event('http', b * BATCH + k))));
    let next = 0, accepted = 0;
    const httpCpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' }, body });
        if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        accepted += ((await res.json()) as { accepted: number }).accepted;
      }
    }));
    const http = accepted / ((performance.now() - start) / 1000);
    const httpCpuUs = cpuMicros(process.cpuUsage(httpCpu)) / N;
    if (accepted !== N) throw new Error(`HTTP: ${accepted} of ${N} stored`);

    // MQTT: GTFS-RT messages of 1000 vehicles on a mapped topic.
    await db.query(`INSERT INTO feed_configs (id, kind, source, format, topic, enabled, created_at, updated_at)
      VALUES ('bench-mqtt', 'mqtt', 'bench-mqtt', 'gtfs-rt', 'bench/gtfs-rt', true, now(), now())`);
    await vigie.feedService.reload();
    const messages = Array.from({ length: N / BATCH }, (_, b) => Buffer.from(encodeFeedMessage({
      header: { gtfsRealtimeVersion: '2.0', timestamp: T0 / 1000 },
      entity: Array.from({ length: BATCH }, (_, k) => ({ id: `e${k}`, vehicle: { vehicle: { id: `V${b * BATCH + k}` }, timestamp: T0 / 1000, position: { latitude: 43.3, longitude: 5.37 }, trip: { routeId: '83' } } })),
    })));
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${vigie.feedService.broker!.port}`, { username: 'bench', password: 'demo-feed-token' });
    const mqttCpu = process.cpuUsage();
    const mStart = performance.now();
    for (const m of messages) await client.publishAsync('bench/gtfs-rt', m, { qos: 1 });
    let stored = 0;
    while (stored < N) {
      await vigie.feedService.bridge!.idle();
      [{ n: stored }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE source = 'bench-mqtt'") as [{ n: number }];
      if (stored < N) await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - mStart > 600_000) throw new Error(`MQTT: only ${stored} of ${N} stored after 10 min`);
    }
    const mqttRate = N / ((performance.now() - mStart) / 1000);
    const mqttCpuUs = cpuMicros(process.cpuUsage(mqttCpu)) / N;
    await client.endAsync();

    const goal = db.kind === 'pglite' ? 50_000 : 100_000;
    const f = (x: number) => Math.round(x).toLocaleString('en').padStart(9);
    console.log(`${label}: per-row INSERT (baseline)     ${f(baseline)} events/s   1.0×`);
    console.log(`${label}: batched HTTP /api/v1/events   ${f(http)} events/s  ${(http / baseline).toFixed(1)}×  goal ${goal.toLocaleString('en')}: ${http >= goal ? 'met' : 'NOT met'}  (this process: ${httpCpuUs.toFixed(0)} µs CPU/event)`);
    console.log(`${label}: MQTT (GTFS-RT, 1000/message)  ${f(mqttRate)} events/s  ${(mqttRate / baseline).toFixed(1)}×  goal ${goal.toLocaleString('en')}: ${mqttRate >= goal ? 'met' : 'NOT met'}  (this process: ${mqttCpuUs.toFixed(0)} µs CPU/event)`);
  } finally {
    await vigie.stop();
  }
}

console.log(`ingest: ${N.toLocaleString('en')} events per transport, batches of ${BATCH}, ${CONCURRENCY} HTTP requests in flight; baseline ${BASELINE_ROWS} single-row INSERTs`);
const only = process.env.BENCH_INGEST_DB;
if (only !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-ingest-'));
  try {
    const db = await openDatabase({ dataDir: dir });
    try { await run('PGlite    ', db); } finally { await db.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (only === 'pglite') {
  // PostgreSQL not asked for
} else if (await postgresAvailable()) {
  const pg = await postgresDatabase();
  try { await run('PostgreSQL', pg.db); } finally { await pg.drop(); }
} else {
  console.log('PostgreSQL: skipped (not reachable)');
}
