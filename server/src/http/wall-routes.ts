import { Router } from 'express';
import type { PhaseBoard } from '../calendar/phase-board.ts';
import { transportLines } from '../calendar/transport-lines.ts';
import type { Config } from '../config.ts';
import { DEMO_CITY } from '../demo/city.ts';
import { forWall } from '../live/redact.ts';
import { lastSeq, listAlerts } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listPlaces, listZones } from '../storage/zones-repo.ts';
import { requireDisplay } from '../wall/display-auth.ts';
import { listScreens, saveScreenConfig, screenConfig, ScreenConfig } from '../wall/screen-config.ts';
import type { WallBootstrap } from '@vigie/rules';
import { wallLines, wallState } from '../wall/wall-state.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

/** At most this many active alerts are sent to a wall at once (the most recent). */
const WALL_ALERTS = 500;

export type WallRoutesDeps = { db: SqlClient; config: Config; phases: PhaseBoard; now: () => Date; onScreenConfig?: (name: string) => void };

/**
 * The wall screens' API. A screen reads with its display token only (`Authorization: Display
 * <token>` or `?token=`): no session, nothing personal. Supervisors configure the screens.
 */
export function wallRoutes(d: WallRoutesDeps): Router {
  const r = Router();

  r.get('/bootstrap', requireDisplay(d.db), async (req, res) => {
    const [zones, places, screen] = await Promise.all([listZones(d.db), listPlaces(d.db), screenConfig(d.db, req.display!.tokenHash)]);
    const body: WallBootstrap = {
      city: DEMO_CITY, tileUrl: d.config.VIGIE_TILE_URL, tileAttribution: d.config.VIGIE_TILE_ATTRIBUTION, timeZone: d.config.TZ, screen,
      zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, geometry: z.geometry })),
      lines: wallLines(transportLines(places, d.config.VIGIE_DEMO)),
    };
    res.json(body);
  });

  r.get('/state', requireDisplay(d.db), async (req, res) => {
    const config = await screenConfig(d.db, req.display!.tokenHash);
    const zones = config.views.some((v) => v.kind === 'district') ? await listZones(d.db) : [];
    res.json(await wallState(d.db, d.phases, d.now(), { config, zones }));
  });

  r.get('/alerts', requireDisplay(d.db), async (_req, res) => {
    // lastSeq first: a change landing between the two reads is replayed by `sync`, never lost.
    const seq = await lastSeq(d.db);
    const alerts = await listAlerts(d.db, { status: ['open', 'acknowledged'], limit: WALL_ALERTS });
    res.json({ alerts: alerts.map(forWall), lastSeq: seq });
  });

  r.get('/screens', requireRole('supervisor'), async (_req, res) => {
    res.json({ screens: await listScreens(d.db) });
  });

  r.put('/screens/:name', requireRole('supervisor'), requireJson, jsonBody({ limit: '64kb' }), async (req, res) => {
    const config = parseBody(ScreenConfig, req.body, res);
    if (!config) return;
    // A district view of a zone the city does not have would show nothing: named, not stored.
    const known = new Set((await listZones(d.db)).map((z) => z.id));
    const issues = config.views.flatMap((v, i) => v.kind === 'district' && !known.has(v.zoneId)
      ? [{ field: `views.${i}.zoneId`, message: `no zone "${v.zoneId}" (see GET /api/v1/zones)`, reason: { key: 'not_found' as const } }] : []);
    if (issues.length) return sendError(res, 'VIGIE_VALIDATION', `${issues[0]!.field}: ${issues[0]!.message}`, { issues });
    if (!(await saveScreenConfig(d.db, String(req.params.name), config, d.now()))) return sendError(res, 'VIGIE_NOT_FOUND', `no display token named ${String(req.params.name)}`);
    d.onScreenConfig?.(String(req.params.name)); // an open screen takes it at once
    res.json({ name: req.params.name, config });
  });
  return r;
}
