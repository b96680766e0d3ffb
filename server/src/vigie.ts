import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import cron, { type ScheduledTask } from 'node-cron';
import type { Express } from 'express';
import type { Zone } from '@vigie/rules';
import { AlertService } from './alerts/alert-service.ts';
import { createApp } from './app.ts';
import { Sessions } from './auth/sessions.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { Simulator } from './demo/simulator.ts';
import { EngineService } from './engine/engine-service.ts';
import { loadRulesDir, STOCK_RULES_DIR } from './engine/rule-files.ts';
import { feedHealth } from './feeds/health.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { Pseudonymiser } from './ingest/pseudonymise.ts';
import { LiveServer } from './live/live-server.ts';
import { MapSampler } from './live/map-sampler.ts';
import { createLogger, type Logger } from './logger.ts';
import { purgeExpiredSessions } from './storage/accounts-repo.ts';
import { openDatabase } from './storage/open.ts';
import type { SqlClient } from './storage/sql-client.ts';
import { listZones } from './storage/zones-repo.ts';

export const VERSION = '0.1.0';
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/build/', import.meta.url));
/** Demo mode's pseudonym key: public, so demo data is not protected by it. */
const DEMO_PSEUDONYM_KEY = 'vigie-demo-pseudonym-key-not-secret';

export type VigieOptions = { db?: SqlClient; log?: Logger; now?: () => Date };

export type Vigie = {
  app: Express;
  db: SqlClient;
  pipeline: IngestPipeline;
  engine: EngineService;
  alerts: AlertService;
  live: LiveServer;
  /** Listens, attaches the live server, starts the jobs (and the simulator in demo mode). */
  listen(port?: number, host?: string): Promise<{ server: Server; port: number }>;
  stop(): Promise<void>;
};

/** Builds every part of a Vigie node from its configuration; nothing listens until `listen`. */
export async function createVigie(config: Config, opts: VigieOptions = {}): Promise<Vigie> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? createLogger(config.VIGIE_LOG);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.VIGIE_DATA_DIR }));
  if (config.VIGIE_DEMO) await seedDemo(db);

  const library = await loadRulesDir(config.VIGIE_RULES_DIR ?? STOCK_RULES_DIR);
  for (const e of library.errors) log.error(`rule file refused: ${e.file}:${e.line}:${e.column} ${e.field ? `${e.field}: ` : ''}${e.message}`, { ...e });
  log.info('rules loaded', { rules: library.rules.map((r) => r.id), refused: library.errors.length });

  const sessions = new Sessions(db, config.VIGIE_SESSION_HOURS * 3_600_000, now);
  const live = new LiveServer(db, sessions, log, config.REDIS_URL);
  const alerts = new AlertService(db, live, now);
  const zones = await listZones(db);
  const nodeId = config.VIGIE_NODE_ID ?? `${hostname()}:${config.PORT}`;
  const engine = new EngineService(db, alerts, log, nodeId, zones, library.rules, config.TZ, now);
  const keyId = config.VIGIE_PSEUDONYM_KEY ? 'k1' : 'demo';
  const pipeline = new IngestPipeline(db, new Pseudonymiser(config.VIGIE_PSEUDONYM_KEY ?? DEMO_PSEUDONYM_KEY, keyId), now);
  const sampler = new MapSampler();
  pipeline.onStored((events) => {
    void engine.process(events);
    sampler.add(events, now().getTime());
  });

  const app = createApp({
    config, db, log, sessions, pipeline, alerts, now, version: VERSION,
    webDir: config.VIGIE_WEB_DIR ?? DEFAULT_WEB_DIR,
    rules: () => library,
    onZonesChanged: (z: Zone[]) => engine.setZones(z),
    metrics: () => [
      { name: 'vigie_events_accepted_total', help: 'Events stored', type: 'counter', value: pipeline.counters.accepted },
      { name: 'vigie_events_duplicates_total', help: 'Events received again with the same body', type: 'counter', value: pipeline.counters.duplicates },
      { name: 'vigie_events_rejected_total', help: 'Events rejected (invalid, conflicting, forbidden)', type: 'counter', value: pipeline.counters.rejected },
      { name: 'vigie_engine_events_total', help: 'Events evaluated by the rules engine', type: 'counter', value: engine.counters.events },
      { name: 'vigie_engine_errors_total', help: 'Engine batches that failed', type: 'counter', value: engine.counters.errors },
      { name: 'vigie_engine_backlog', help: 'Batches waiting for the engine', type: 'gauge', value: engine.backlog },
      { name: 'vigie_alerts_fired_total', help: 'Alerts created', type: 'counter', value: alerts.counters.fired },
      { name: 'vigie_alerts_updated_total', help: 'Alert updates from the engine', type: 'counter', value: alerts.counters.updated },
      { name: 'vigie_alert_actions_total', help: 'Operator actions on alerts', type: 'counter', value: alerts.counters.actions },
      { name: 'vigie_live_clients', help: 'Connected live clients on this node', type: 'gauge', value: live.clients },
    ],
  });

  const replayed = await engine.resume();
  if (replayed) log.info('engine resumed from its snapshot', { replayed });

  let server: Server | undefined;
  const tasks: ScheduledTask[] = [];
  let sampleTimer: NodeJS.Timeout | undefined;
  let simulator: Simulator | undefined;
  const every = (expr: string, name: string, fn: () => Promise<unknown>) => {
    tasks.push(cron.schedule(expr, () => fn().catch((e: unknown) => log.warn(`job ${name} failed`, { error: String(e) })), { name, noOverlap: true }));
  };

  return {
    app, db, pipeline, engine, alerts, live,
    async listen(port = config.PORT, host = config.HOST) {
      server = createServer(app);
      await live.attach(server);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      const bound = (server.address() as { port: number }).port;
      every('*/5 * * * * *', 'engine-tick', () => engine.tick());
      every('*/30 * * * * *', 'engine-snapshot', () => engine.snapshot());
      every('*/10 * * * * *', 'feed-health', async () => live.feedHealth(await feedHealth(db, now())));
      every('17 * * * *', 'session-purge', () => purgeExpiredSessions(db, now()));
      sampleTimer = setInterval(() => {
        const s = sampler.take(now().getTime());
        if (s) live.sample(s);
      }, 1000);
      if (config.VIGIE_DEMO && config.VIGIE_SIMULATOR) {
        simulator = new Simulator({ now, emit: (events) => pipeline.ingest(events, { name: 'simulator', sources: null }) });
        simulator.start();
      }
      log.info('vigie listening', { port: bound, demo: config.VIGIE_DEMO, database: db.kind, redis: Boolean(config.REDIS_URL), node: nodeId });
      return { server, port: bound };
    },
    async stop() {
      simulator?.stop();
      clearInterval(sampleTimer);
      for (const t of tasks) await t.destroy();
      await live.close(); // closes the HTTP server too
      await engine.drain();
      await engine.snapshot().catch(() => {});
      if (server?.listening) await new Promise((r) => server!.close(r));
      if (!opts.db) await db.close();
    },
  };
}
