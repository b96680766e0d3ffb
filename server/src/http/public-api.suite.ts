import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../testing/databases.ts';
import { publicWeek } from '../public/indicators.ts';
import { postEvents, startNode, type Running } from '../testing/harness.ts';

/** `GET /api/v1/public/indicators` on a node over `makeDb`'s database. */
export function publicApiSuite(name: string, makeDb: () => Promise<TestDatabase>): void {
  describe(`the public indicators on ${name}`, () => {
    let node: Running;
    let database: TestDatabase;
    beforeAll(async () => {
      database = await makeDb();
      node = await startNode({}, database);
    });
    afterAll(async () => {
      await node?.stop();
      await database?.drop();
    });

    it('anyone reads them, signed in or not, from any site: the week\'s counts per day and per zone, small ones withheld, others rounded', async () => {
      // Noon on the Wednesday of the week published now, on the city clock (±1 h of offset keeps the date).
      const time = `${publicWeek(Date.now(), 'Europe/Paris').dates[2]}T12:00:00+01:00`;
      const at = { lat: 43.2951, lon: 5.374 }; // the Vieux-Port, inside a demo sector
      const six = (id: string, type: string, extra: Record<string, unknown> = {}) =>
        Array.from({ length: 6 }, (_, i) => ({ id: `pub-${id}-${i}`, source: 'csu', type, time, location: at, ...extra }));
      const events = [
        ...six('theft', 'incident.theft', { text: 'Vol signalé par M. Martin' }),
        ...six('bike', 'accident.bike').slice(0, 2),
        ...six('health', 'health.admission'),
        ...six('heart', 'incident.heart_attack', { attributes: { category: 'health' } }), // a FIWARE health alert
        ...six('bus', 'transport.vehicle.position'),
        ...six('late', 'transport.delay'),
      ];
      expect((await postEvents(node.url, events)).status).toBe(202);
      const res = await fetch(`${node.url}/api/v1/public/indicators`, { headers: { origin: 'https://www.example.org' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('public, max-age=600');
      const body = (await res.json()) as { city: string; days: { date: string; counts: Record<string, number | null> }[]; totals: Record<string, number | null>; zones: { name: string; counts: Record<string, number | null> }[]; minCount: number; roundedTo: number };
      expect([body.city, body.minCount, body.roundedTo]).toEqual(['Marseille', 5, 5]);
      expect(body.days).toHaveLength(7);
      expect(body.totals).toEqual({ incident: 5, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
      expect(body.days[2]!.counts).toEqual({ incident: 5, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
      const port = body.zones.filter((z) => z.counts.incident !== 0);
      expect(port).toHaveLength(1);
      expect(port[0]!.counts).toMatchObject({ incident: 5, accident: null, transport: 0 });
      // Nothing of an event by itself: no id, no text, no source, no position, no time of day.
      expect(JSON.stringify(body)).not.toMatch(/pub-|Martin|csu|5\.374|43\.2951|health|heart|12:00/);
    });

    it('gives the zones the indicators name as GeoJSON, to anyone, and no warning\'s area', async () => {
      const [res, indicators] = await Promise.all([fetch(`${node.url}/api/v1/public/zones`), fetch(`${node.url}/api/v1/public/indicators`)]);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const map = (await res.json()) as { type: string; features: { type: string; id: string; properties: { name: string; kind: string }; geometry: { type: string } }[] };
      expect(map.type).toBe('FeatureCollection');
      const counted = ((await indicators.json()) as { zones: { id: string }[] }).zones.map((z) => z.id);
      expect(map.features.map((f) => f.id)).toEqual(counted);
      expect(map.features.length).toBeGreaterThan(10);
      expect(map.features.every((f) => f.type === 'Feature' && f.properties.kind !== 'warning' && /Polygon$/.test(f.geometry.type))).toBe(true);
    });

    it('is described in OpenAPI; an unknown public path is a clear 404', async () => {
      const doc = (await (await fetch(`${node.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, { get?: unknown }> };
      expect(doc.paths['/api/v1/public/indicators']?.get).toBeDefined();
      expect(doc.paths['/api/v1/public/zones']?.get).toBeDefined();
      const res = await fetch(`${node.url}/api/v1/public/nothing`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VIGIE_NOT_FOUND');
    });
  });
}
