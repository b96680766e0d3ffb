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

/** The largest GeoJSON zone file taken (deploy/nginx.conf lets a little more through on this route, so that this limit answers). */
export const MAX_ZONES_FILE_BYTES = 20 * 1024 * 1024;

type Feature = { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

/** What a property holds, for a message: `array` and `null` apart from `object`. */
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

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

  r.post('/zones/import', requireRole('supervisor'), requireJson, express.json({ limit: MAX_ZONES_FILE_BYTES }), async (req, res) => {
    const q = parseBody(ImportQuery, req.query, res);
    if (!q) return;
    const fc = req.body as { type?: unknown; features?: unknown };
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      return sendError(res, 'VIGIE_VALIDATION', 'a GeoJSON FeatureCollection is expected', { field: 'type' });
    }
    const tags = q.tags ? q.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
    const read: { index: number; zone: Zone; id: string }[] = [];
    const rejected: { index: number; error: string }[] = [];
    (fc.features as Feature[]).forEach((f, index) => {
      const props = f?.properties && typeof f.properties === 'object' ? f.properties : {};
      const own = (key: string) => (Object.hasOwn(props, key) ? props[key] : undefined);
      const id = own(q.idProperty);
      const name = own(q.nameProperty) ?? id;
      if (id === undefined || id === null || id === '') return rejected.push({ index, error: `properties.${q.idProperty}: required` });
      if (typeof id !== 'string' && typeof id !== 'number') return rejected.push({ index, error: `properties.${q.idProperty}: expected a string or a number, got ${kindOf(id)}` });
      if (typeof name !== 'string' && typeof name !== 'number') return rejected.push({ index, error: `properties.${q.nameProperty}: expected a string or a number, got ${kindOf(name)}` });
      const geometry = ZoneGeometry.safeParse(f?.geometry);
      if (!geometry.success) {
        const i = geometry.error.issues[0]!;
        return rejected.push({ index, error: `geometry${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message} (Polygon or MultiPolygon)` });
      }
      const zone = Zone.safeParse({ id: `${q.kind}-${String(id)}`, name: String(name), kind: q.kind, tags, geometry: geometry.data });
      if (!zone.success) return rejected.push({ index, error: zone.error.issues[0]!.message });
      const bad = unstorableText(zone.data);
      if (bad) return rejected.push({ index, error: `${bad.field === 'id' ? `properties.${q.idProperty}` : bad.field === 'name' ? `properties.${q.nameProperty}` : bad.field}: ${UNSTORABLE[bad.key]}` });
      read.push({ index, zone: zone.data, id: String(id) });
    });
    // Two features with one id would be one zone whose geometry depends on the order of the
    // file: a mistake in the file, so none of them is imported and each names the others.
    const byId = new Map<string, typeof read>();
    for (const r of read) byId.set(r.zone.id, [...(byId.get(r.zone.id) ?? []), r]);
    const zones: Zone[] = [];
    for (const r of read) {
      const same = byId.get(r.zone.id)!;
      if (same.length === 1) { zones.push(r.zone); continue; }
      const others = same.filter((o) => o !== r).map((o) => o.index);
      rejected.push({ index: r.index, error: `properties.${q.idProperty}: "${r.id}" is also the id of feature${others.length > 1 ? 's' : ''} ${others.join(', ')}: ids must be unique in the file, so none of these features is imported` });
    }
    rejected.sort((a, b) => a.index - b.index);
    if (!zones.length) return sendError(res, 'VIGIE_VALIDATION', 'no feature could be imported', { imported: 0, rejected });
    await upsertZones(db, zones);
    await onZonesChanged();
    res.json({ imported: zones.length, rejected });
  });
  return r;
}
