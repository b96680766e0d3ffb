import { Router } from 'express';
import type { PublicIndicatorsService } from '../public/public-indicators.ts';

/**
 * What anyone may read, signed in or not (city services, citizens, the public page): the
 * anonymised indicators and the zones they name. Cached for ten minutes by whoever relays
 * them, readable from any site.
 */
export function publicRoutes(indicators: PublicIndicatorsService): Router {
  const r = Router();
  const PUBLIC = { 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*' };
  r.get('/indicators', async (_req, res) => {
    res.set(PUBLIC).json(await indicators.get());
  });
  // The zones the indicators name, for a map: GeoJSON (`id`: the zone's, as in the indicators).
  r.get('/zones', async (_req, res) => {
    res.set(PUBLIC).type('application/geo+json').send(await indicators.zoneMap());
  });
  return r;
}
