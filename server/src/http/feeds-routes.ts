import express, { Router } from 'express';
import { z } from 'zod';
import { hasRole } from '../auth/roles.ts';
import { feedConfigInput, getFeedConfig, listFeedConfigs, saveFeedConfig } from '../feeds/feed-configs-repo.ts';
import { allowedHosts } from '../feeds/gtfs-rt/outbound-url.ts';
import { FeedFormatError } from '../feeds/adapter.ts';
import { FORMATS } from '../feeds/registry.ts';
import { readGtfsStatic } from '../feeds/gtfs-static/gtfs-static.ts';
import { listTransitRoutes, storeGtfsStatic } from '../feeds/gtfs-static/gtfs-static-repo.ts';
import { feedHealth } from '../feeds/health.ts';
import { getDeadLetter, listDeadLetters } from '../ingest/dead-letters.ts';
import type { FeedIngest } from '../ingest/feed-ingest.ts';
import type { Sealer } from '../ingest/seal.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { sendFeedAnswer } from './ingest-routes.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

const DeadLettersQuery = z.strictObject({
  source: z.string().max(64).optional(),
  pending: z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const IdParam = z.object({ id: z.coerce.number().int().min(1) });
const GtfsQuery = z.strictObject({ source: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, "_", "." or "-"') });
/** A replay may correct the format's options (a CSV column mapping: `{"map.id": "ref"}`). */
const ReplayBody = z.strictObject({ options: z.record(z.string().regex(/^map\.[a-z]+$/), z.string().max(100)).optional() });
/** The largest GTFS static zip taken (deploy/nginx.conf lets a little more through on this route, so that this limit answers). */
export const MAX_GTFS_ZIP_BYTES = 100 * 1024 * 1024;

/** Shows a payload as text when it is (XML, JSON, CSV), else as base64 (protobuf). */
function showPayload(b: Buffer): { encoding: 'utf8' | 'base64'; text: string } {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) && !/[\u0000-\u0008\u000E-\u001F]/.test(text) ? { encoding: 'utf8', text } : { encoding: 'base64', text: b.toString('base64') };
}

export type FeedsRoutesDeps = {
  db: SqlClient; feeds: FeedIngest; sealer: Sealer; now: () => Date; onConfigsChanged: () => Promise<void>;
  /** VIGIE_FEED_ALLOW_HOSTS: hosts a polled URL may name although loopback or link-local. */
  allowHosts?: readonly string[];
};

/**
 * `GET /api/v1/feeds`: each feed's health (operator) and, for admins, the configurations;
 * `POST/PUT /api/v1/feeds[/:id]` (admin): polled GTFS-RT URLs and MQTT topic mappings;
 * dead letters: list, show (payload unsealed, admin only), replay after a fix.
 */
export function feedsRoutes(d: FeedsRoutesDeps): Router {
  const r = Router();
  const json = jsonBody({ limit: '64kb' });
  const FeedConfigInput = feedConfigInput(allowedHosts(d.allowHosts ?? []));

  r.get('/', requireRole('operator'), async (req, res) => {
    const feeds = await feedHealth(d.db, d.now());
    // Admins also get what they configure: the feeds' settings, and the formats an MQTT mapping may name.
    res.json(hasRole(req.user!.role, 'admin') ? { feeds, configs: await listFeedConfigs(d.db), formats: FORMATS } : { feeds });
  });

  r.post('/', requireRole('admin'), requireJson, json, async (req, res) => {
    const c = parseBody(FeedConfigInput, req.body, res);
    if (!c) return;
    if (!(await saveFeedConfig(d.db, c, d.now(), true))) {
      // Named like any other refused field (with its reason as data), so that a form shows it beside the id.
      const message = `a feed "${c.id}" exists; PUT /api/v1/feeds/${c.id} to change it`;
      return sendError(res, 'VIGIE_VALIDATION', `id: ${message}`, { field: 'id', issues: [{ field: 'id', message, reason: { key: 'conflict' } }] });
    }
    await d.onConfigsChanged();
    res.status(201).json(await getFeedConfig(d.db, c.id));
  });

  r.put('/:id', requireRole('admin'), requireJson, json, async (req, res) => {
    const c = parseBody(FeedConfigInput, { ...(req.body as object), id: req.params.id }, res);
    if (!c) return;
    if (!(await saveFeedConfig(d.db, c, d.now(), false))) return sendError(res, 'VIGIE_NOT_FOUND', `no feed ${c.id}`);
    await d.onConfigsChanged();
    res.json(await getFeedConfig(d.db, c.id));
  });

  // GTFS static (zip): stops become places (the source's events naming a stop are placed there), routes keep their names, colours and shapes.
  r.post('/gtfs-static', requireRole('admin'), express.raw({ type: () => true, limit: MAX_GTFS_ZIP_BYTES }), async (req, res) => {
    const q = parseBody(GtfsQuery, req.query, res);
    if (!q) return;
    try {
      const g = readGtfsStatic(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      await storeGtfsStatic(d.db, q.source, g);
      await d.feeds.reloadStops();
      res.json({ stops: g.stops.length, routes: g.routes.length, shapes: g.routes.reduce((n, r) => n + r.shapes.length, 0), rejected: g.rejected });
    } catch (e) {
      if (e instanceof FeedFormatError) return sendError(res, 'VIGIE_FEED_MALFORMED', e.message, { field: e.field });
      throw e;
    }
  });

  r.get('/gtfs-static/routes', requireRole('operator'), async (req, res) => {
    const q = parseBody(GtfsQuery.partial(), req.query, res);
    if (!q) return;
    res.json({ routes: await listTransitRoutes(d.db, q.source) });
  });

  r.get('/dead-letters', requireRole('admin'), async (req, res) => {
    const q = parseBody(DeadLettersQuery, req.query, res);
    if (!q) return;
    res.json({ deadLetters: await listDeadLetters(d.db, q) });
  });

  r.get('/dead-letters/:id', requireRole('admin'), async (req, res) => {
    const p = parseBody(IdParam, req.params, res);
    if (!p) return;
    const dl = await getDeadLetter(d.db, p.id);
    if (!dl) return sendError(res, 'VIGIE_NOT_FOUND', `no dead letter ${p.id}`);
    const { payload, ...rest } = dl;
    let shown;
    try {
      shown = showPayload(d.sealer.unseal(payload));
    } catch (e) {
      shown = { error: (e as Error).message };
    }
    res.json({ ...rest, payload: shown });
  });

  r.post('/dead-letters/:id/replay', requireRole('admin'), json, async (req, res) => {
    const p = parseBody(IdParam, req.params, res);
    if (!p) return;
    const b = parseBody(ReplayBody, req.body ?? {}, res);
    if (!b) return;
    sendFeedAnswer(res, await d.feeds.replay(p.id, b.options));
  });
  return r;
}
