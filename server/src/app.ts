import express, { type Express } from 'express';
import type { AlertService } from './alerts/alert-service.ts';
import type { Sessions } from './auth/sessions.ts';
import { SignInLimits } from './auth/sign-in-limits.ts';
import { accountsRoutes } from './http/accounts-routes.ts';
import { peopleRoutes } from './http/people-routes.ts';
import { tokensRoutes } from './http/tokens-routes.ts';
import type { Config } from './config.ts';
import type { FeedsDeps } from './feeds/feeds-deps.ts';
import { capRoutes } from './http/cap-routes.ts';
import { feedsRoutes } from './http/feeds-routes.ts';
import { ingestRoutes } from './http/ingest-routes.ts';
import { open311Routes } from './http/open311-routes.ts';
import { alertsRoutes } from './http/alerts-routes.ts';
import { auditRoutes } from './http/audit-routes.ts';
import { silencesRoutes } from './http/silences-routes.ts';
import { loadSession } from './http/auth-middleware.ts';
import { noRoute } from './http/method-not-allowed.ts';
import { authRoutes } from './http/auth-routes.ts';
import { cityRoutes } from './http/city-routes.ts';
import { publicRoutes } from './http/public-routes.ts';
import type { PublicIndicatorsService } from './public/public-indicators.ts';
import { errorHandler, sendError } from './http/errors.ts';
import { pathGuard } from './http/path-guard.ts';
import { eventsRoutes } from './http/events-routes.ts';
import { prometheusText, type Metric } from './http/metrics.ts';
import { openApiDocument } from './http/openapi.ts';
import { rulesRoutes } from './http/rules-routes.ts';
import { webStatic } from './http/web-static.ts';
import { wallRoutes } from './http/wall-routes.ts';
import { calendarRoutes } from './http/calendar-routes.ts';
import type { PhaseBoard } from './calendar/phase-board.ts';
import type { IngestPipeline } from './ingest/pipeline.ts';
import type { Logger } from './logger.ts';
import type { RulesStore } from './rules-store/rules-store.ts';
import type { SqlClient } from './storage/sql-client.ts';
import { jsonBody } from './http/json-body.ts';

export type AppDeps = {
  config: Config;
  db: SqlClient;
  log: Logger;
  sessions: Sessions;
  pipeline: IngestPipeline;
  alerts: AlertService;
  /** Rules in the database with versions (issue 6). */
  rulesStore: RulesStore;
  /** The zones changed here (an import): every node reads them again. */
  onZonesChanged: () => Promise<void>;
  /** A wall screen's configuration was saved (its name). */
  onScreenConfig?: (name: string) => void;
  /** A display token was revoked (its hash): the walls showing with it close. */
  onDisplayRevoked?: (tokenHash: string) => void;
  metrics: () => Metric[];
  webDir: string;
  now: () => Date;
  version: string;
  /** Major events and their phases, switched by the cron job (issue 7). */
  phases: PhaseBoard;
  /** Standard-format feeds, dead letters, feed configurations (issue 4). */
  feeds: FeedsDeps;
  /** The anonymised indicators anyone may read (`GET /api/v1/public/indicators`, the public page). */
  publicIndicators: PublicIndicatorsService;
};

/** The HTTP application, built without listening: tests drive it in-process. */
export function createApp(d: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The proxies believed about the client's address and scheme (a proxy on this host by default).
  app.set('trust proxy', d.config.VIGIE_TRUST_PROXY);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    next();
  });
  app.use(pathGuard());

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      await d.db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (e) {
      sendError(res, 'VIGIE_UNAVAILABLE', `database: ${String(e)}`);
    }
  });
  app.get('/metrics', (_req, res) => { res.type('text/plain; version=0.0.4').send(prometheusText(d.metrics())); });

  // Read by anyone, from anywhere: no session is looked at.
  app.use('/api/v1/public', publicRoutes(d.publicIndicators));
  const api = express.Router();
  api.use(loadSession(d.sessions));
  api.get('/openapi.json', (_req, res) => { res.json(openApiDocument(d.version)); });
  api.use('/auth', jsonBody({ limit: '16kb' }), authRoutes(d.sessions, new SignInLimits(d.db), d.now));
  api.use('/events', eventsRoutes(d.db, d.pipeline, d.feeds.ingest));
  api.use(capRoutes(d.db, d.now)); // before /alerts: /alerts/:id.cap and /alerts.atom (issue 4)
  api.use('/alerts', alertsRoutes(d.db, d.alerts));
  api.use('/silences', silencesRoutes(d.db, d.now, d.alerts));
  api.use('/audit', auditRoutes(d.db));
  api.use('/users', accountsRoutes(d.db, d.sessions, d.now));
  api.use('/people', peopleRoutes(d.db));
  api.use(tokensRoutes(d.db, d.now, (tokenHash) => d.onDisplayRevoked?.(tokenHash)));
  api.use('/rules', rulesRoutes({ db: d.db, store: d.rulesStore, timeZone: d.config.TZ, now: d.now }));
  api.use('/ingest', ingestRoutes(d.db, d.feeds.ingest, d.config.TZ));
  api.use('/feeds', feedsRoutes({ db: d.db, feeds: d.feeds.ingest, sealer: d.feeds.sealer, now: d.now, onConfigsChanged: d.feeds.reload, allowHosts: d.config.VIGIE_FEED_ALLOW_HOSTS }));
  api.use(cityRoutes(d.db, d.config, d.onZonesChanged));
  api.use('/wall', wallRoutes({ db: d.db, config: d.config, phases: d.phases, now: d.now, onScreenConfig: d.onScreenConfig }));
  api.use('/calendar', calendarRoutes({ db: d.db, config: d.config, phases: d.phases, now: d.now }));
  api.use(noRoute);
  app.use('/api/v1', api);
  // Under /api, a path of no version or of another one: JSON too, not the console's page nor Express's HTML.
  app.use('/api', noRoute);
  app.use('/open311/v2', open311Routes(d.db, d.pipeline, d.feeds.limiter, d.now)); // Open311 GeoReport v2 (issue 4)

  app.use(webStatic(d.webDir, d.config.VIGIE_TILE_URL));
  app.use(errorHandler(d.log));
  return app;
}
