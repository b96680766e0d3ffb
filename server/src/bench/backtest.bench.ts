// `npm run bench:backtest -w @vigie/server` (and `npm run bench`): the time to backtest a draft
// rule (beside the published version, as the editor does) over 7 days holding 1 000 000 stored
// events, on PGlite and on PostgreSQL, against the time to just read those events through the
// same pager in the same run. Goal: under 10 s. BENCH_EVENTS changes the size; PostgreSQL is
// skipped with a line when it is not reachable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileRule, parseRule, type CompiledRule } from '@vigie/rules';
import { acceptedTypes, BACKTEST_PAGE_SIZE, eventPages } from '../backtest/event-pages.ts';
import { runBacktest } from '../backtest/run-backtest.ts';
import { seedDemo } from '../demo/seed.ts';
import { migrate } from '../storage/migrate.ts';
import { openPglite } from '../storage/pglite-client.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones } from '../storage/zones-repo.ts';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = 7;
const TO = new Date('2026-11-28T00:00:00Z');
const FROM = new Date(TO.getTime() - DAYS * 86_400_000);
const PAGE = BACKTEST_PAGE_SIZE;

function rule(yaml: string, version: number): CompiledRule {
  const r = parseRule(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return compileRule(r.rule, version);
}
const base = (gte: number) => `id: incident-cluster\ntitle: "{count} signalements — {zone}"\nseverity: high\nkind: threshold\nwhere:\n  type: ["incident.*", "accident.*", "citizen.*"]\ngroupBy: "zone:sector"\nwindow: 10m\ncount: { gte: ${gte} }\n`;
const PUBLISHED = rule(base(4), 1);
const DRAFT = rule(base(6), 2);

/** N events spread evenly over the 7 days across Marseille, generated inside the database (one statement per 100 000). */
async function fill(db: SqlClient): Promise<void> {
  const span = TO.getTime() - FROM.getTime();
  for (let start = 0; start < N; start += 100_000) {
    const end = Math.min(N, start + 100_000);
    await db.query(
      `INSERT INTO events (source, id, type, time, received_at, lat, lon, severity, body, hash)
       SELECT x.source, x.id, x.type, x.t, x.t, x.lat, x.lon, x.sev::int2,
              jsonb_build_object('source', x.source, 'id', x.id, 'type', x.type,
                'time', to_char(x.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'receivedAt', to_char(x.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'location', jsonb_build_object('lat', x.lat, 'lon', x.lon), 'severity', x.sev,
                'attributes', jsonb_build_object('line', 'L' || (x.i % 40))), 'bench'
         FROM (SELECT i, (ARRAY['csu','rtm','citoyens','ap-hm','eclairage'])[1 + i % 5] AS source, 'b' || i AS id,
                      (ARRAY['incident.theft','incident.assault','citizen.noise','transport.delay','lighting.fault','accident.bike','health.admission'])[1 + i % 7] AS type,
                      $1::timestamptz + make_interval(secs => (i::float8 * $2 / $3) / 1000) AS t,
                      43.24 + ((i * 7919) % 1000) / 1000.0 * 0.12 AS lat, 5.33 + ((i * 104729) % 1000) / 1000.0 * 0.14 AS lon,
                      1 + i % 5 AS sev
                 FROM generate_series($4::bigint, $5::bigint) AS i) x`,
      [FROM.toISOString(), span, N, start, end - 1],
    );
  }
}

async function readOnly(db: SqlClient): Promise<{ ms: number; n: number }> {
  const t0 = performance.now();
  let n = 0;
  for await (const page of eventPages(db, FROM, TO, PAGE)) n += page.length;
  return { ms: performance.now() - t0, n };
}

async function backtest(db: SqlClient) {
  const zones = await listZones(db);
  const t0 = performance.now();
  const r = await runBacktest({ draft: DRAFT, published: PUBLISHED, zones, timeZone: 'Europe/Paris', from: FROM, to: TO },
    eventPages(db, FROM, TO, PAGE, acceptedTypes([DRAFT, PUBLISHED])));
  return { ms: performance.now() - t0, r };
}

async function measure(name: string, db: SqlClient): Promise<void> {
  await seedDemo(db);
  const t0 = performance.now();
  await fill(db);
  console.log(`${name}: ${N.toLocaleString('en')} events stored in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not measured)`);
  await readOnly(db); // warm the cache: both measures then read from memory alike
  const read = await readOnly(db);
  const bt = await backtest(db);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${name}: read only ${s(read.ms)} (${read.n.toLocaleString('en')} events) | backtest ${s(bt.ms)} ` +
    `(${bt.r.eventsRead.toLocaleString('en')} events, draft ${bt.r.alerts} alerts vs published ${bt.r.comparison?.publishedAlerts}: +${bt.r.comparison?.added} −${bt.r.comparison?.removed}) ` +
    `| backtest / read = ${(bt.ms / read.ms).toFixed(2)}× | goal < 10 s: ${bt.ms < 10_000 ? 'met' : 'MISSED'}`);
}

console.log(`backtest over ${DAYS} days, ${N.toLocaleString('en')} events, a threshold draft beside its published version (one engine runs both), pages of ${PAGE}`);
const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-'));
const lite = await openPglite(dir);
try {
  await migrate(lite);
  await measure('PGlite', lite);
} finally {
  await lite.close();
  rmSync(dir, { recursive: true, force: true });
}
if (await postgresAvailable()) {
  const pg = await postgresDatabase();
  try {
    await measure('PostgreSQL', pg.db);
  } finally {
    await pg.drop();
  }
}
