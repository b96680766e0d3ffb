import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ScheduledTask } from 'node-cron';
import type { Express } from 'express';
import { AlertService } from './alerts/alert-service.ts';
import { parseEscalationPolicy } from './alerts/escalation-policy.ts';
import { createApp } from './app.ts';
import { Sessions } from './auth/sessions.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { ensureFirstAdmin } from './auth/first-admin.ts';
import { disableDemoCredentials } from './demo/demo-credentials.ts';
import { seedDemoCalendar } from './demo/demo-calendar.ts';
import { Simulator } from './demo/simulator.ts';
import { submitOpen311Form } from './feeds/open311/open311-in.ts';
import { EngineService } from './engine/engine-service.ts';
import { recentImports } from './engine/imported-events.ts';
import { STOCK_RULES_DIR } from './engine/rule-files.ts';
import { purgeExpiredZones } from './feeds/cap/temporary-zones.ts';
import { parseCityGeocodes } from './feeds/cap/city-area.ts';
import { FeedService } from './feeds/feed-service.ts';
import { feedHealth } from './feeds/health.ts';
import { StopPlaces } from './feeds/gtfs-static/stop-places.ts';
import { purgeDeadLetters } from './ingest/dead-letters.ts';
import { FeedIngest } from './ingest/feed-ingest.ts';
import { parsePreviousKeys } from './ingest/keyring.ts';
import { FeedRateLimiter } from './ingest/rate-limit.ts';
import { Sealer } from './ingest/seal.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { Pseudonymiser } from './ingest/pseudonymise.ts';
import { missedRuns, scheduleJob } from './jobs.ts';
import { LiveServer } from './live/live-server.ts';
import { MapSampler } from './live/map-sampler.ts';
import { createLogger, type Logger } from './logger.ts';
import { purgeExpiredSessions } from './storage/accounts-repo.ts';
import { PhaseBoard } from './calendar/phase-board.ts';
import { openDatabase } from './storage/open.ts';
import { Opened } from './startup.ts';
import type { SqlClient } from './storage/sql-client.ts';
import { flushFeedMinutes, purgeFeedMinutes } from './storage/feed-minutes-repo.ts';
import { purgeFeedImports } from './storage/feed-imports-repo.ts';
import { purgeCommitMarks } from './storage/alerts-repo.ts';
import { purgeTimeNotices } from './storage/time-notices-repo.ts';
import { listZones } from './storage/zones-repo.ts';
import { AlertRelay } from './nodes/alert-relay.ts';
import { RedisLink } from './nodes/redis-link.ts';
import { EngineLeadership } from './nodes/engine-leadership.ts';
import { ChangeSync, FEED_CONFIGS, ZONES } from './nodes/change-sync.ts';
import { insertShadowAlerts } from './rules-store/rules-repo.ts';
import { RulesStore } from './rules-store/rules-store.ts';
import { PublicIndicatorsService } from './public/public-indicators.ts';
import { DEMO_CITY } from './demo/city.ts';

export const VERSION = '0.1.0';
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/build/', import.meta.url));
/** Demo mode's pseudonym key: public, so demo data is not protected by it. */
const DEMO_PSEUDONYM_KEY = 'vigie-demo-pseudonym-key-not-secret';

/** `signal`: stop starting (a SIGTERM meanwhile): the step under way ends, then what was opened closes and `createVigie` or `listen` rejects. */
export type VigieOptions = { db?: SqlClient; log?: Logger; now?: () => Date; signal?: AbortSignal };

export type Vigie = {
  app: Express;
  db: SqlClient;
  pipeline: IngestPipeline;
  engine: EngineService;
  alerts: AlertService;
  live: LiveServer;
  /** Standard-format feeds in (issue 4), and the polls (on the leading node) and MQTT subscriptions once listening. */
  feeds: FeedIngest;
  feedService: FeedService;
  /** Listens, attaches the live server, starts the jobs (and the simulator in demo mode). */
  listen(port?: number, host?: string): Promise<{ server: Server; port: number }>;
  stop(): Promise<void>;
};

/**
 * Builds every part of a Vigie node from its configuration; nothing listens until `listen`.
 * A node that does not get to the end (a service unreachable: a StartupError; `opts.signal`)
 * closes what it opened before it rejects.
 */
export async function createVigie(config: Config, opts: VigieOptions = {}): Promise<Vigie> {
  const log = opts.log ?? createLogger(config.VIGIE_LOG);
  const opened = new Opened();
  try {
    return await build(config, { ...opts, log }, opened);
  } catch (e) {
    await opened.closeAll((what, error) => log.warn(`start given up: could not close the ${what}`, { error: String(error) }));
    throw e;
  }
}

async function build(config: Config, opts: VigieOptions & { log: Logger }, opened: Opened): Promise<Vigie> {
  const now = opts.now ?? (() => new Date());
  const { log, signal } = opts;
  // A wrong REDIS_URL is told before the database opens (a first PGlite start takes seconds).
  const redis = config.REDIS_URL ? new RedisLink(config.REDIS_URL, log, undefined, config.VIGIE_STARTUP_WAIT_MS) : undefined;
  await redis?.check(signal);
  const nodeId = config.VIGIE_NODE_ID ?? `${hostname()}:${config.PORT}`;
  // Named after the node in PostgreSQL's pg_stat_activity (application_name).
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.VIGIE_DATA_DIR, signal, waitMs: config.VIGIE_STARTUP_WAIT_MS, name: `vigie ${nodeId}` }));
  if (!opts.db) opened.add('database', () => db.close());
  signal?.throwIfAborted();
  // Outside demo mode, the demo's public accounts and tokens (a demo's ./data reused) stop working first.
  if (config.VIGIE_DEMO) await seedDemo(db, now());
  else await disableDemoCredentials(db, log, now());
  await ensureFirstAdmin(db, config.VIGIE_ADMIN_PASSWORD, log, now());

  // Rules live in the database (versions); the library files seed the ids it does not have yet.
  const rulesStore = new RulesStore(db, log, now);
  await rulesStore.seed(config.VIGIE_RULES_DIR ?? STOCK_RULES_DIR);
  const library = await rulesStore.load();
  for (const e of library.errors) log.error(`stored rule refused: ${e.file}:${e.line}:${e.column} ${e.field ? `${e.field}: ` : ''}${e.message}`, { ...e });
  log.info('rules loaded', { rules: library.rules.map((r) => `${r.id}@${r.version}`), refused: library.errors.length });

  const sessions = new Sessions(db, config.VIGIE_SESSION_HOURS * 3_600_000, now);
  const live = new LiveServer(db, sessions, log, redis, config.VIGIE_LIVE_FLUSH_MS, now);
  // Without Redis, nodes sharing PostgreSQL relay alert changes to each other's clients.
  const relay = !config.REDIS_URL && db.listen && db.notify ? new AlertRelay(db, live, log) : undefined;
  await relay?.listen();
  if (relay) opened.add('alert relay', () => relay.close());
  const alerts = new AlertService(db, relay ?? live, now, { escalation: parseEscalationPolicy(config.VIGIE_ESCALATION) }, { log });
  const zones = await listZones(db);
  const engine = new EngineService(db, alerts, log, nodeId, zones, library.rules, config.TZ, now, config.VIGIE_ALLOWED_LATENESS_MS);
  engine.onShadow = (transitions) => insertShadowAlerts(db, transitions);
  void engine.setRules(library.rules, library.shadow);
  opened.add('engine', () => engine.drain());
  rulesStore.onChange((set) => void engine.setRules(set.rules, set.shadow));
  await rulesStore.listen(redis, signal);
  opened.add('rules notifier', () => rulesStore.close());
  signal?.throwIfAborted();
  const keyId = config.VIGIE_PSEUDONYM_KEY ? config.VIGIE_PSEUDONYM_KEY_ID : 'demo';
  const pseudonymiser = new Pseudonymiser(config.VIGIE_PSEUDONYM_KEY ?? DEMO_PSEUDONYM_KEY, keyId, parsePreviousKeys(config.VIGIE_PSEUDONYM_PREVIOUS_KEYS), config.VIGIE_PERSONAL_FIELDS);
  const pipeline = new IngestPipeline(db, pseudonymiser, now);
  // Feeds (issue 4): standard formats through the same pipeline, dead letters sealed with the pseudonym key.
  const sealer = new Sealer(pseudonymiser.keyring);
  const limiter = new FeedRateLimiter(config.VIGIE_FEED_RATE_LIMIT);
  // The public figures' rounding draws come from the pseudonym key: the key's holder alone could undo them.
  const roundingSecret = createHmac('sha256', config.VIGIE_PSEUDONYM_KEY ?? DEMO_PSEUDONYM_KEY).update('vigie:public-rounding').digest();
  const publicIndicators = new PublicIndicatorsService(db, { city: DEMO_CITY.name, timeZone: config.TZ, now, secret: roundingSecret });
  // After the zones changed (a warning's area came or went, an import, a purge), on any node:
  // every node's engine reads them again and tells its own clients (and the public figures
  // are counted again if the permanent zones changed).
  const zonesSync = new ChangeSync(db, log, ZONES, async () => {
    publicIndicators.forget();
    await engine.setZones(await listZones(db));
    live.zonesChanged(now());
  });
  await zonesSync.listen(redis, signal);
  opened.add('zones notifier', () => zonesSync.close());
  const zonesChanged = () => zonesSync.changed();
  // Events naming a transit stop and no position are placed at it (stops imported from GTFS static).
  const stops = new StopPlaces(db);
  await stops.load();
  const feeds = new FeedIngest({ db, pipeline, sealer, limiter, log, now, timeZone: config.TZ, onZones: zonesChanged, cityGeocodes: parseCityGeocodes(config.VIGIE_CAP_CITY_GEOCODES), stops });
  const feedService = new FeedService(db, feeds, log, now, config.VIGIE_FEED_ALLOW_HOSTS);
  // A feed configuration changed on any node (an admin turned a polled URL off): every node subscribes anew, the leading one polls anew.
  const feedsSync = new ChangeSync(db, log, FEED_CONFIGS, () => feedService.reload());
  await feedsSync.listen(redis, signal);
  opened.add('feed configurations notifier', () => feedsSync.close());
  signal?.throwIfAborted();
  const sampler = new MapSampler();
  live.mapNow = () => sampler.current();
  const phases = new PhaseBoard(db, log);
  // The engine's calendar (rules `activeDuring: {calendar}`) follows the phases the cron job switches.
  phases.onChange((_changes, board) => void engine.setCalendar(board.engineCalendar()).catch((e: unknown) => log.warn('calendar: engine update failed', { error: String(e) })));
  // One engine for the city: this node's when it leads, else the leading node's (nodes/engine-leadership.ts).
  const leadership = new EngineLeadership(engine, db, log);
  // The feed polls too: only the leading node asks a feed's server, the others read what its polls stored.
  leadership.onLeading((leading) => feedService.polls(leading));
  pipeline.setAnnouncer((how) => leadership.announcer(how));
  pipeline.onStored((events, how, announced) => {
    leadership.handOn(events, how, announced);
    // An upload's history is not what moves on the map now: only its recent events are drawn live.
    sampler.add(how.imported ? recentImports(events, now().getTime()) : events, now().getTime());
  });

  const app = createApp({
    config, db, log, sessions, pipeline, alerts, now, version: VERSION, phases,
    webDir: config.VIGIE_WEB_DIR ?? DEFAULT_WEB_DIR,
    rulesStore,
    feeds: { ingest: feeds, sealer, limiter, reload: () => feedsSync.changed() },
    onZonesChanged: zonesChanged,
    publicIndicators,
    onScreenConfig: (name) => live.wallConfigChanged(name),
    onDisplayRevoked: (tokenHash) => live.endDisplay(tokenHash),
    metrics: () => [
      { name: 'vigie_events_accepted_total', help: 'Events stored', type: 'counter', value: pipeline.counters.accepted },
      { name: 'vigie_events_duplicates_total', help: 'Events received again with the same body', type: 'counter', value: pipeline.counters.duplicates },
      { name: 'vigie_events_rejected_total', help: 'Events rejected (invalid, conflicting, forbidden)', type: 'counter', value: pipeline.counters.rejected },
      { name: 'vigie_engine_events_total', help: 'Events evaluated by the rules engine', type: 'counter', value: engine.counters.events },
      { name: 'vigie_engine_errors_total', help: 'Engine batches that failed', type: 'counter', value: engine.counters.errors },
      { name: 'vigie_engine_late_events_total', help: 'Events later than the allowed lateness (evaluated best effort, reported)', type: 'counter', value: engine.counters.late },
      { name: 'vigie_engine_future_events_total', help: 'Events stamped beyond the clock skew bound (flagged)', type: 'counter', value: engine.counters.future },
      { name: 'vigie_engine_backlog', help: 'Batches waiting for the engine', type: 'gauge', value: engine.backlog },
      { name: 'vigie_engine_leader', help: 'Whether this node runs the engine for the city (1) or sends its events to the node that does (0)', type: 'gauge', value: leadership.role === 'leader' ? 1 : 0 },
      { name: 'vigie_engine_takeovers_total', help: 'Times this node took the engine over (resumed from the newest snapshot)', type: 'counter', value: leadership.counters.takeovers },
      { name: 'vigie_engine_unsent_events_total', help: 'Stored events this node could not send to the leading node (a takeover replays them)', type: 'counter', value: leadership.counters.unsent },
      { name: 'vigie_alerts_fired_total', help: 'Alerts created', type: 'counter', value: alerts.counters.fired },
      { name: 'vigie_alerts_updated_total', help: 'Alert updates from the engine', type: 'counter', value: alerts.counters.updated },
      { name: 'vigie_alert_updates_coalesced_total', help: 'Alert updates from the engine gathered into a later update of their alert in the same batch (stored and pushed with it)', type: 'counter', value: alerts.counters.coalesced },
      { name: 'vigie_alert_actions_total', help: 'Operator actions on alerts', type: 'counter', value: alerts.counters.actions },
      { name: 'vigie_alerts_escalated_total', help: 'Alerts escalated for want of an acknowledgement', type: 'counter', value: alerts.counters.escalated },
      { name: 'vigie_alert_store_retries_total', help: 'Alert transitions tried again while the database did not answer', type: 'counter', value: alerts.counters.retries },
      { name: 'vigie_alert_store_refused_total', help: 'Alert transitions the database refused outright (skipped, logged)', type: 'counter', value: alerts.counters.refused },
      { name: 'vigie_alert_commits_unanswered_total', help: 'Transactions of alert transitions whose COMMIT got no answer (then found stored or not by their mark)', type: 'counter', value: alerts.counters.unanswered },
      { name: 'vigie_alerts_relay_caught_up_total', help: 'Alert changes of other nodes sent to this node\'s clients after its relay (no Redis) listened again', type: 'counter', value: relay?.counters.caughtUp ?? 0 },
      { name: 'vigie_live_clients', help: 'Connected live clients on this node', type: 'gauge', value: live.clients },
      { name: 'vigie_live_packed_clients', help: 'Live clients on this node receiving alert batches compressed (deflate-raw)', type: 'gauge', value: live.packedClients },
      { name: 'vigie_feed_polling', help: 'Whether this node polls the configured feed URLs (1, the leading node) or leaves them to the node that does (0)', type: 'gauge', value: feedService.polling ? 1 : 0 },
      { name: 'vigie_feed_messages_total', help: 'Standard-format feed messages read (issue 4)', type: 'counter', value: [...feeds.counters.values()].reduce((n, c) => n + c.messages, 0) },
      { name: 'vigie_mqtt_write_retries_total', help: 'MQTT messages whose write failed and was tried again', type: 'counter', value: feedService.bridge?.counters.retries ?? 0 },
      { name: 'vigie_mqtt_unwritten_total', help: 'MQTT messages kept as dead letters after their last write attempt failed', type: 'counter', value: feedService.bridge?.counters.unwritten ?? 0 },
      { name: 'vigie_mqtt_held_total', help: 'MQTT messages whose dead letter could not be stored either (database down), held and tried again', type: 'counter', value: feedService.bridge?.counters.held ?? 0 },
      { name: 'vigie_mqtt_waiting', help: 'MQTT messages received and not yet written', type: 'gauge', value: feedService.bridge?.waiting ?? 0 },
      { name: 'vigie_feed_malformed_total', help: 'Feed messages that could not be read (kept as dead letters)', type: 'counter', value: [...feeds.counters.values()].reduce((n, c) => n + c.malformed, 0) },
      { name: 'vigie_feed_refused_not_kept_total', help: 'Broker or poller messages refused as a whole and not kept again (same payload, or 20 kept this hour)', type: 'counter', value: feeds.refusedNotKept },
    ],
  });

  await leadership.start();
  opened.add('engine leadership', () => leadership.close());
  signal?.throwIfAborted();

  let server: Server | undefined;
  const tasks: ScheduledTask[] = [];
  let sampleTimer: NodeJS.Timeout | undefined;
  let simulator: Simulator | undefined;
  const missed = missedRuns(log);
  const every = (expr: string, name: string, fn: () => Promise<unknown>) => {
    tasks.push(scheduleJob(expr, name, fn, log, missed));
  };

  return {
    app, db, pipeline, engine, alerts, live, feeds, feedService,
    async listen(port = config.PORT, host = config.HOST) {
      server = createServer(app);
      // An idle connection is kept longer than a proxy or a client keeps it (nginx, undici: seconds), so that
      // they close it first: a request sent on it as the server closes it would be reset (ECONNRESET).
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
      await live.attach(server, signal);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      const bound = (server.address() as { port: number }).port;
      every('*/5 * * * * *', 'engine-tick', () => engine.tick());
      every('*/30 * * * * *', 'engine-snapshot', () => engine.snapshot());
      every('7 * * * *', 'engine-baselines', () => engine.refreshBaselines());
      void engine.refreshBaselines().catch((e: unknown) => log.warn('baselines: first learning failed', { error: String(e) }));
      // The full report (rate, error rate, lag too), as GET /api/v1/feeds gives it.
      every('*/10 * * * * *', 'feed-health', async () => live.feedHealth(await feedHealth(db, now())));
      every('17 * * * *', 'session-purge', () => purgeExpiredSessions(db, now()));
      every('23 * * * *', 'health-purge', async () => {
        await purgeTimeNotices(db, now()); await purgeFeedMinutes(db, now()); await purgeFeedImports(db, now()); await purgeCommitMarks(db, now());
        const gone = await purgeDeadLetters(db, now(), config.VIGIE_DEAD_LETTER_DAYS);
        if (gone) log.info('dead letters past their retention deleted', { deleted: gone, days: config.VIGIE_DEAD_LETTER_DAYS });
      });
      // Another node's GTFS static import: its stops are read here too within five minutes.
      every('40 */5 * * * *', 'transit-stops', () => stops.load());
      every('20 * * * * *', 'warning-zones', async () => { if (await purgeExpiredZones(db, now())) await zonesChanged(); });
      // An ephemeral node (port 0, tests) gets an ephemeral MQTT broker too.
      // A node with a stable name keeps its MQTT session: what the broker got while it was away comes when it is back.
      const clientId = port === 0 && !config.VIGIE_NODE_ID ? undefined : `vigie-${nodeId}`;
      signal?.throwIfAborted();
      await feedService.start({ mqttUrl: config.MQTT_URL, brokerPort: port === 0 ? 0 : config.VIGIE_MQTT_PORT, brokerHost: host, clientId, shareGroup: config.VIGIE_MQTT_SHARE_GROUP });
      signal?.throwIfAborted();
      await phases.refresh(now());
      every('0 * * * * *', 'calendar-phases', () => phases.refresh(now()));
      every('*/15 * * * * *', 'alert-escalation', () => alerts.escalate());
      sampleTimer = setInterval(() => {
        const s = sampler.take(now().getTime());
        if (s) live.sample(s);
        // Feed health's minutes and out-of-time counts gathered on this node, written once a second.
        void flushFeedMinutes(db).catch((e: unknown) => log.warn('feed minutes not written (kept for the next second)', { error: String(e) }));
        void engine.flushNotices().catch((e: unknown) => log.warn('time notices not written (kept for the next second)', { error: String(e) }));
      }, 1000);
      if (config.VIGIE_DEMO && config.VIGIE_SIMULATOR) {
        // Tonight's match, so that the calendar, the walls and the calendar's rules have one.
        await seedDemoCalendar(db, now(), config.TZ).then(() => phases.refresh(now()))
          .catch((e: unknown) => log.warn('demo calendar not seeded', { error: String(e) }));
        const simulated = { name: 'simulator', sources: null };
        simulator = new Simulator({
          now, emit: (events) => pipeline.ingest(events, simulated),
          // Each feed in its real format, through the same adapters as real feeds (issue 4).
          feeds: {
            emit: (format, source, body) => feeds.receive({ format, source, body, sender: simulated }),
            open311: (form, at) => submitOpen311Form(pipeline, form, simulated, at),
          },
        });
        simulator.start();
      }
      log.info('vigie listening', { port: bound, demo: config.VIGIE_DEMO, database: db.kind, redis: Boolean(config.REDIS_URL), node: nodeId });
      return { server, port: bound };
    },
    async stop() {
      simulator?.stop();
      clearInterval(sampleTimer);
      await feedService.stop();
      for (const t of tasks) await t.destroy();
      await live.close(); // closes the HTTP server too
      await rulesStore.close();
      await zonesSync.close();
      await feedsSync.close();
      await relay?.close();
      alerts.close(); // a transition waiting for the database gives up: the engine then keeps no snapshot past it
      await engine.drain();
      await engine.snapshot().catch(() => {});
      await leadership.close(); // another node takes over from this snapshot
      await flushFeedMinutes(db).catch(() => {});
      await engine.flushNotices().catch(() => {});
      engine.flushLog();
      missed.flush();
      if (server?.listening) await new Promise((r) => server!.close(r));
      if (!opts.db) await db.close();
    },
  };
}
