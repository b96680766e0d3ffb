import express, { Router } from 'express';
import { z } from 'zod';
import { Zone, ZoneGeometry } from '@vigie/rules';
import type { Config } from '../config.ts';
import { DEMO_CITY } from '../demo/city.ts';
import { UNSTORABLE, unstorableText } from '../ingest/unstorable-text.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listPlaces, listZones, upsertZones } from '../storage/zones-repo.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';

const ImportQuery = z.object({
  kind: z.string().regex(/^[a-z0-9_-]{1,50}$/, 'lower-case letters, digits, "_" or "-"'),
  idProperty: z.string().min(1).max(100).default('id'),
  nameProperty: z.string().min(1).max(100).default('name'),
  tags: z.string().max(500).optional(),
});

type Feature = { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

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

  r.post('/zones/import', requireRole('supervisor'), requireJson, express.json({ limit: '20mb' }), async (req, res) => {
    const q = parseBody(ImportQuery, req.query, res);
    if (!q) return;
    const fc = req.body as { type?: unknown; features?: unknown };
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      return sendError(res, 'VIGIE_VALIDATION', 'a GeoJSON FeatureCollection is expected', { field: 'type' });
    }
    const tags = q.tags ? q.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
    const zones: Zone[] = [];
    const rejected: { index: number; error: string }[] = [];
    (fc.features as Feature[]).forEach((f, index) => {
      const props = f?.properties ?? {};
      const id = props[q.idProperty];
      const name = props[q.nameProperty] ?? id;
      if (id === undefined || id === null || id === '') return rejected.push({ index, error: `properties.${q.idProperty}: required` });
      const geometry = ZoneGeometry.safeParse(f?.geometry);
      if (!geometry.success) {
        const i = geometry.error.issues[0]!;
        return rejected.push({ index, error: `geometry${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message} (Polygon or MultiPolygon)` });
      }
      const zone = Zone.safeParse({ id: `${q.kind}-${String(id)}`, name: String(name), kind: q.kind, tags, geometry: geometry.data });
      if (!zone.success) return rejected.push({ index, error: zone.error.issues[0]!.message });
      const bad = unstorableText(zone.data);
      if (bad) return rejected.push({ index, error: `${bad.field === 'id' ? `properties.${q.idProperty}` : bad.field === 'name' ? `properties.${q.nameProperty}` : bad.field}: ${UNSTORABLE[bad.key]}` });
      zones.push(zone.data);
    });
    if (!zones.length) return sendError(res, 'VIGIE_VALIDATION', 'no feature could be imported', { imported: 0, rejected });
    await upsertZones(db, zones);
    await onZonesChanged();
    res.json({ imported: zones.length, rejected });
  });
  return r;
}
