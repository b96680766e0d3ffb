import { readFileSync } from 'node:fs';
import type { Zone } from '../../src/domain/zone.ts';

type Feature = { properties: { id: string; name: string; population?: number }; geometry: Zone['geometry'] };

/**
 * The evaluation city: Marseille's 16 real arrondissements (read from ../shared/data, never
 * copied) as sectors weighted by population, and one school perimeter.
 */
export function evalCity(): { zones: Zone[]; populations: Record<string, number> } {
  const url = new URL('../../../../shared/data/marseille/arrondissements.geojson', import.meta.url);
  const features = (JSON.parse(readFileSync(url, 'utf8')) as { features: Feature[] }).features;
  const zones: Zone[] = features.map((f) => ({ id: String(f.properties.id), name: f.properties.name, kind: 'sector', tags: [], geometry: f.geometry }));
  const populations = Object.fromEntries(features.map((f) => [String(f.properties.id), f.properties.population ?? 0]));
  const s = 0.004; // about 400 m around a school in the 5th arrondissement
  const [lat, lon] = [43.2925, 5.397];
  zones.push({ id: 'school-1', name: 'École (périmètre)', kind: 'school-perimeter', tags: ['school'], geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + s, lat], [lon + s, lat + s], [lon, lat + s], [lon, lat]]] } });
  return { zones, populations };
}
