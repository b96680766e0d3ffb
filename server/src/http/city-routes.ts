import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { DEMO_CITY } from '../demo/city.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listPlaces, listZones, temporaryZoneIds, upsertZones } from '../storage/zones-repo.ts';
import { requireRole, requireType } from './auth-middleware.ts';

/** GeoJSON as JSON, or as its own media type (RFC 7946). */
const GEOJSON_TYPES = ['application/json', 'application/geo+json'];
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { readZoneFeatures } from './zone-import.ts';
import { jsonBody } from './json-body.ts';

const ImportQuery = z.strictObject({
  // `warning` is the kind of the warnings' temporary areas (CAP): Vigie makes and ends them itself.
  kind: z.string().regex(/^[a-z0-9_-]{1,50}$/, 'lower-case letters, digits, "_" or "-"').refine((k) => k !== 'warning', 'the kind of the warnings\' temporary areas (from CAP messages): import under another kind'),
  idProperty: z.string().min(1).max(100).default('id'),
  nameProperty: z.string().min(1).max(100).default('name'),
  tags: z.string().max(500).optional(),
});

/** The largest GeoJSON zone file taken (deploy/nginx.conf lets a little more through on this route, so that this limit answers). */
export const MAX_ZONES_FILE_BYTES = 20 * 1024 * 1024;

/** Config for the console, the city's zones and places, and the GeoJSON zone import. */
export function cityRoutes(db: SqlClient, config: Config, onZonesChanged: () => Promise<void>): Router {
  const r = Router();

  r.get('/config', (_req, res) => {
    res.json({ city: DEMO_CITY, tileUrl: config.VIGIE_TILE_URL, tileAttribution: config.VIGIE_TILE_ATTRIBUTION, demo: config.VIGIE_DEMO, timeZone: config.TZ });
  });

  r.get('/zones', requireRole('operator'), async (_req, res) => {
    res.json({ zones: await listZones(db) });
  });

  r.get('/places', requireRole('operator'), async (_req, res) => {
    res.json({ places: await listPlaces(db) });
  });

  r.post('/zones/import', requireRole('supervisor'), requireType(...GEOJSON_TYPES), jsonBody({ limit: MAX_ZONES_FILE_BYTES, type: GEOJSON_TYPES }), async (req, res) => {
    const q = parseBody(ImportQuery, req.query, res);
    if (!q) return;
    const fc = req.body as { type?: unknown; features?: unknown };
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      // Named like any other field refused (details.issues); details.field kept for the clients that read it.
      const issue = fc?.type !== 'FeatureCollection'
        ? { field: 'type', message: 'expected "FeatureCollection" (a GeoJSON FeatureCollection)', reason: { key: 'one_of', values: ['FeatureCollection'] } }
        : { field: 'features', message: 'expected an array of GeoJSON Features', reason: { key: 'type' } };
      return sendError(res, 'VIGIE_VALIDATION', `${issue.field}: ${issue.message}`, { field: issue.field, issues: [issue] });
    }
    const tags = q.tags ? q.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
    const read = readZoneFeatures(fc.features, { kind: q.kind, idProperty: q.idProperty, nameProperty: q.nameProperty, tags });
    // A warning's temporary area keeps its id: a feature that would replace it is refused (it would end with the warning).
    const temporary = await temporaryZoneIds(db, read.zones.map((z) => z.id));
    const zones = read.zones.filter((z) => !temporary.has(z.id)), rejected = [...read.rejected];
    read.zones.forEach((z, k) => {
      if (!temporary.has(z.id)) return;
      const index = read.indexes[k]!;
      rejected.push({ index, error: { code: 'VIGIE_VALIDATION', field: `properties.${q.idProperty}`, message: `properties.${q.idProperty}: "${z.id}" is a warning's temporary area (from a CAP message), which Vigie ends itself: import under another kind`, reason: { key: 'conflict' } } });
    });
    rejected.sort((a, b) => a.index - b.index);
    if (!zones.length) return sendError(res, 'VIGIE_VALIDATION', 'no feature could be imported', { imported: 0, rejected });
    await upsertZones(db, zones);
    await onZonesChanged();
    res.json({ imported: zones.length, rejected });
  });
  return r;
}
