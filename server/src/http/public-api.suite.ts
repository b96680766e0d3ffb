import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../testing/databases.ts';
import type { PublicIndicators } from '@vigie/rules';
import { postEvents, startNode, type Running } from '../testing/harness.ts';

/** `GET /api/v1/public/indicators` on a node over `makeDb`'s database. */
export function publicApiSuite(name: string, makeDb: () => Promise<TestDatabase>): void {
  describe(`the public indicators on ${name}`, () => {
    let node: Running;
    let database: TestDatabase;
    // The node's clock: a Wednesday, while the events come in; then the Monday after, 07:00 in Paris, once the week is due.
    let clock = Date.parse('2026-12-02T11:00:00Z');
    beforeAll(async () => {
      database = await makeDb();
      node = await startNode({}, database, () => new Date(clock));
    });
    afterAll(async () => {
      await node?.stop();
      await database?.drop();
    });

    it('anyone reads them, signed in or not, from any site: a week\'s counts per day and per zone, each rounded', async () => {
      const time = '2026-12-02T12:00:00+01:00';
      const at = { lat: 43.2951, lon: 5.374 }; // the Vieux-Port, inside a demo sector
      const some = (n: number, id: string, type: string, extra: Record<string, unknown> = {}) =>
        Array.from({ length: n }, (_, i) => ({ id: `pub-${id}-${i}`, source: 'csu', type, time, location: at, ...extra }));
      const events = [
        ...some(10, 'theft', 'incident.theft', { text: 'Vol signalé par M. Martin' }),
        ...some(2, 'bike', 'accident.bike'),
        ...some(10, 'health', 'health.admission'),
        ...some(10, 'heart', 'incident.heart_attack', { attributes: { category: 'Health' } }), // a FIWARE health alert
        ...some(10, 'bus', 'transport.vehicle.position'),
        ...some(10, 'late', 'transport.delay'),
      ];
      expect((await postEvents(node.url, events)).status).toBe(202);
      clock = Date.parse('2026-12-07T06:00:00Z');
      const res = await fetch(`${node.url}/api/v1/public/indicators`, { headers: { origin: 'https://www.example.org' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('public, max-age=600');
      const body = (await res.json()) as PublicIndicators;
      expect([body.city, body.from, body.to, body.roundedTo, body.publishedAt]).toEqual(['Marseille', '2026-11-30', '2026-12-06', 5, '2026-12-07T05:00:00.000Z']);
      expect(body.days).toHaveLength(7);
      expect(body.totals).toMatchObject({ incident: 10, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
      expect([0, 5]).toContain(body.totals.accident); // 2, rounded up or down
      expect(body.days[2]!.counts.incident).toBe(10);
      const port = body.zones.filter((z) => z.counts.incident !== 0);
      expect(port).toHaveLength(1);
      expect(port[0]!.counts).toMatchObject({ incident: 10, transport: 0 });
      // Nothing of an event by itself: no id, no text, no source, no position, no time of day.
      expect(JSON.stringify({ ...body, publishedAt: undefined })).not.toMatch(/pub-|Martin|csu|5\.374|43\.2951|health|heart|T12:00/);
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
