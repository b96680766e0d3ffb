import { feedSender } from '../auth/feed-sender.ts';
import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { z } from 'zod';
import { IsoTime } from '@vigie/rules';
import { ERRORS, type ErrorCode } from '../errors/catalogue.ts';
import { UNSTORABLE, unstorableText } from '../ingest/unstorable-text.ts';
import { parseOpen311, storeOpen311 } from '../feeds/open311/open311-in.ts';
import { eventToOpen311 } from '../feeds/open311/open311-mapping.ts';
import { OPEN311_SERVICES, OPEN311_SOURCE } from '../feeds/open311/services.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { FeedRateLimiter } from '../ingest/rate-limit.ts';
import { eventsByIds, listEvents } from '../storage/events-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { bodyError } from './errors.ts';
import { jsonBody } from './json-body.ts';

/** GeoReport v2 errors: `[{code, description}]`, with Vigie's code and the field in the description. */
function open311Error(res: Response, code: ErrorCode, description: string): void {
  res.status(ERRORS[code].status).json([{ code: ERRORS[code].status, description: `${code}: ${description}` }]);
}

/** A GeoReport v2 list parameter: one value or several, comma delimited (`status=open,closed`). */
const commaList = z.string().max(2000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const RequestsQuery = z.object({
  service_request_id: z.string().max(2000).optional(),
  service_code: commaList.pipe(z.array(z.string().max(100)).min(1)).optional(),
  start_date: IsoTime.optional(),
  end_date: IsoTime.optional(),
  status: commaList.pipe(z.array(z.enum(['open', 'closed'])).min(1)).optional(),
});

/** Open311 GeoReport v2, as the specification says: services, and service requests in (form or JSON) and out. */
export function open311Routes(db: SqlClient, pipeline: IngestPipeline, limiter: FeedRateLimiter, now: () => Date): Router {
  const r = Router();
  r.get('/services.json', (_req, res) => {
    res.json(OPEN311_SERVICES.map(({ type: _t, ...s }) => ({ ...s, metadata: false, type: 'realtime' })));
  });

  r.post('/requests.json', express.urlencoded({ extended: false, limit: '64kb' }), jsonBody({ limit: '64kb' }), async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') && !req.is('application/json')) {
      return open311Error(res, 'VIGIE_BAD_CONTENT_TYPE', 'send application/x-www-form-urlencoded (or application/json)');
    }
    const body = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
    const key = typeof body.api_key === 'string' ? body.api_key : undefined;
    const token = key ? await feedSender(db, key) : undefined;
    if (!token) return open311Error(res, 'VIGIE_TOKEN_INVALID', 'api_key: a feed token is required');
    if (token.sources && !token.sources.includes(OPEN311_SOURCE)) return open311Error(res, 'VIGIE_TOKEN_FORBIDDEN', `api_key: this key may not send for source "${OPEN311_SOURCE}"`);
    const parsed = parseOpen311(body);
    if (!parsed.ok) return open311Error(res, parsed.code, parsed.description);
    const wait = limiter.take(token.name, 1, now().getTime());
    if (wait) {
      res.setHeader('Retry-After', String(wait));
      return open311Error(res, 'VIGIE_RATE_LIMITED', `retry in ${wait} s`);
    }
    const stored = await storeOpen311(pipeline, parsed.request, token, now());
    if (!stored.ok) return open311Error(res, stored.code, stored.description);
    res.status(201).json([{ service_request_id: stored.id, service_notice: 'Signalement enregistré, merci.', account_id: null }]);
  });

  r.get('/requests.json', async (req, res) => {
    const q = RequestsQuery.safeParse(req.query);
    if (!q.success) return open311Error(res, 'VIGIE_VALIDATION', `${q.error.issues[0]!.path.join('.')}: ${q.error.issues[0]!.message}`);
    const bad = unstorableText(q.data);
    if (bad) return open311Error(res, 'VIGIE_VALIDATION', `${bad.field}: ${UNSTORABLE[bad.key]}`);
    if (q.data.status && !q.data.status.includes('open')) return res.json([]); // Vigie does not track a request's closure: every request is open
    // Asked by id: those requests, whatever their age (the spec then ignores the other filters); else the newest 1000.
    const ids = q.data.service_request_id?.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 200);
    const events = ids
      ? await eventsByIds(db, OPEN311_SOURCE, ids)
      : (await listEvents(db, { source: OPEN311_SOURCE, since: q.data.start_date, until: q.data.end_date, limit: 1000 })).events;
    const codes = q.data.service_code;
    res.json(events.filter((e) => ids || !codes || codes.includes(String(e.attributes?.serviceCode))).map(eventToOpen311));
  });

  r.get('/requests/:id.json', async (req, res) => {
    const [e] = await eventsByIds(db, OPEN311_SOURCE, [String(req.params.id)]);
    if (!e) return open311Error(res, 'VIGIE_NOT_FOUND', `service_request_id: no request ${String(req.params.id)}`);
    res.json([eventToOpen311(e)]);
  });

  // A path GeoReport v2 does not have (services.xml, a mistyped one): its 404, not the console's page.
  r.use((req, res) => open311Error(res, 'VIGIE_NOT_FOUND', `no route ${req.method} /open311/v2${req.path} (this server speaks JSON: .json paths)`));

  // A body that cannot be read (bad JSON, over 64 kB, not the Content-Encoding it declares) is answered as GeoReport v2 errors.
  r.use(((err, req, res, next) => {
    const body = bodyError(err, req);
    if (!body || res.headersSent) return next(err);
    open311Error(res, body.code, body.code === 'VIGIE_BATCH_TOO_LARGE' ? 'the request is larger than 64 kB' : body.message);
  }) as ErrorRequestHandler);
  return r;
}
