import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../testing/databases.ts';
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

    it('anyone reads them, signed in or not, from any site: counts per day and per zone, the small ones withheld', async () => {
      // Two days ago: always inside the seven whole days before today.
      const time = new Date(Date.now() - 2 * 86_400_000).toISOString();
      const at = { lat: 43.2951, lon: 5.374 }; // the Vieux-Port, inside a demo sector
      const events = [
        ...Array.from({ length: 6 }, (_, i) => ({ id: `pub-theft-${i}`, source: 'csu', type: 'incident.theft', time, location: at, text: `Vol signalé par M. Martin ${i}` })),
        ...Array.from({ length: 2 }, (_, i) => ({ id: `pub-bike-${i}`, source: 'csu', type: 'accident.bike', time, location: at })),
        { id: 'pub-health', source: 'ap-hm', type: 'health.admission', time, location: at },
        { id: 'pub-bus', source: 'rtm', type: 'transport.vehicle.position', time, location: at },
      ];
      expect((await postEvents(node.url, events)).status).toBe(202);
      const res = await fetch(`${node.url}/api/v1/public/indicators`, { headers: { origin: 'https://www.example.org' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('public, max-age=600');
      const body = (await res.json()) as { city: string; days: { date: string; counts: Record<string, number | null> }[]; totals: Record<string, number | null>; zones: { name: string; counts: Record<string, number | null> }[]; minCount: number };
      expect(body.city).toBe('Marseille');
      expect(body.minCount).toBe(5);
      expect(body.days).toHaveLength(7);
      expect(body.totals).toEqual({ incident: 6, accident: null, citizen: 0, lighting: 0, transport: 0, crowd: 0 });
      expect(body.days.reduce((n, d) => n + (d.counts.incident ?? 0), 0)).toBe(6);
      const port = body.zones.filter((z) => z.counts.incident === 6);
      expect(port).toHaveLength(1);
      expect(port[0]!.counts.accident).toBeNull();
      expect(body.zones.filter((z) => z.counts.incident !== 0)).toHaveLength(1);
      // Nothing of an event by itself: no id, no text, no source, no position, no time of day.
      expect(JSON.stringify(body)).not.toMatch(/pub-|Martin|csu|rtm|ap-hm|5\.374|43\.2951|health/);
    });

    it('is described in OpenAPI; an unknown public path is a clear 404', async () => {
      const doc = (await (await fetch(`${node.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, { get?: unknown }> };
      expect(doc.paths['/api/v1/public/indicators']?.get).toBeDefined();
      const res = await fetch(`${node.url}/api/v1/public/nothing`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VIGIE_NOT_FOUND');
    });
  });
}
