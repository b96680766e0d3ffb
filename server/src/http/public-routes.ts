import { Router } from 'express';
import type { PublicIndicatorsService } from '../public/public-indicators.ts';

/**
 * What anyone may read, signed in or not (city services, citizens, the public page): the
 * anonymised indicators. Cached for ten minutes by whoever relays them, readable from any site.
 */
export function publicRoutes(indicators: PublicIndicatorsService): Router {
  const r = Router();
  r.get('/indicators', async (_req, res) => {
    const body = await indicators.get();
    res.set({ 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*' }).json(body);
  });
  return r;
}
