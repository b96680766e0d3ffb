import { describe, expect, it } from 'vitest';
import { readZoneFeatures } from './zone-import.ts';

const square = (x: number, y: number, s = 0.01) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const polygon = (x = 5) => ({ type: 'Polygon', coordinates: [square(x, 43)] });
const feature = (properties: Record<string, unknown> | null, geometry: unknown = polygon()) => ({ type: 'Feature', properties, geometry });
const read = (features: unknown[]) => readZoneFeatures(features, { kind: 'quartier', idProperty: 'code', nameProperty: 'label', tags: ['t'] });

describe('readZoneFeatures', () => {
  it('makes a zone of each good feature: <kind>-<id>, the name (else the id), the tags', () => {
    const { zones, rejected } = read([feature({ code: 'a', label: 'A' }), feature({ code: 7 }, { type: 'MultiPolygon', coordinates: [[square(5, 43)], [square(6, 43)]] })]);
    expect(rejected).toEqual([]);
    expect(zones.map((z) => [z.id, z.name, z.kind, z.tags, z.geometry.type])).toEqual([['quartier-a', 'A', 'quartier', ['t'], 'Polygon'], ['quartier-7', '7', 'quartier', ['t'], 'MultiPolygon']]);
  });

  it('refuses a feature as the API refuses any item: {code, message, field naming the feature\'s member, reason as data}', () => {
    const longId = 'x'.repeat(95);
    const { zones, rejected } = read([
      feature({ label: 'No id' }), // 0
      feature({ code: { x: 1 } }), // 1
      feature({ code: 'b', label: ['B'] }), // 2
      feature({ code: 'c' }, { type: 'LineString', coordinates: [[5, 43], [6, 44]] }), // 3
      { type: 'Feature', properties: { code: 'd' } }, // 4: no geometry
      feature({ code: 'e' }, { type: 'Polygon', coordinates: [[[5, 43], [6, 43], [5, 43]]] }), // 5
      feature({ code: 'f' }, { type: 'Polygon', coordinates: [[[5, 43], [6, 95], [6, 44], [5, 43]]] }), // 6
      feature({ code: 'g', label: '' }), // 7
      feature({ code: longId }), // 8
      feature({ code: 'h', label: 'nul \u0000' }), // 9
      42, // 10
      feature(null), // 11
      feature({ code: 'ok' }), // 12
      feature({ code: 'i' }, { coordinates: [square(5, 43)] }), // 13
    ]);
    expect(zones.map((z) => z.id)).toEqual(['quartier-ok']);
    expect(rejected.map((r) => ({ index: r.index, field: r.error.field, reason: r.error.reason }))).toEqual([
      { index: 0, field: 'properties.code', reason: { key: 'required' } },
      { index: 1, field: 'properties.code', reason: { key: 'type' } },
      { index: 2, field: 'properties.label', reason: { key: 'type' } },
      { index: 3, field: 'geometry.type', reason: { key: 'one_of', values: ['Polygon', 'MultiPolygon'] } },
      { index: 4, field: 'geometry', reason: { key: 'required' } },
      { index: 5, field: 'geometry.coordinates.0', reason: { key: 'too_short', limit: 4 } },
      { index: 6, field: 'geometry.coordinates.0.1.1', reason: { key: 'too_big', limit: 90 } },
      { index: 7, field: 'properties.label', reason: { key: 'too_short', limit: 1 } },
      { index: 8, field: 'properties.code', reason: { key: 'too_long', limit: 100 - 'quartier-'.length } },
      { index: 9, field: 'properties.label', reason: { key: 'nul' } },
      { index: 10, field: undefined, reason: { key: 'type' } },
      { index: 11, field: 'properties.code', reason: { key: 'required' } },
      { index: 13, field: 'geometry.type', reason: { key: 'required' } },
    ]);
    for (const r of rejected) {
      expect(r.error.code).toBe('VIGIE_VALIDATION');
      expect(r.error.message.startsWith(r.error.field ? `${r.error.field}: ` : 'expected a GeoJSON Feature'), r.error.message).toBe(true);
      expect(Object.keys(r).sort()).toEqual(['error', 'index']);
    }
    expect(rejected[1]!.error.message).toBe('properties.code: expected a string or a number, got object');
    expect(rejected[3]!.error.message).toBe('geometry.type: expected Polygon or MultiPolygon, got "LineString"');
    expect(rejected[8]!.error.message).toMatch(/^properties\.code: at most 91 characters/);
  });

  it('refuses a ring that crosses itself, naming the ring and its two edges; touching rings and the other features pass', () => {
    const bowTie = [[5, 43], [5.01, 43.01], [5.01, 43], [5, 43.01], [5, 43]];
    const { zones, rejected } = read([
      feature({ code: 'a' }, { type: 'Polygon', coordinates: [bowTie] }),
      feature({ code: 'b' }, { type: 'MultiPolygon', coordinates: [[square(5, 43)], [square(6, 43), bowTie]] }),
      feature({ code: 'c' }, { type: 'Polygon', coordinates: [[[5, 43], [5.04, 43], [5.04, 43.02], [5.02, 43], [5, 43.02], [5, 43]]] }), // pinched, not crossed
      feature({ code: 'd' }),
    ]);
    expect(zones.map((z) => z.id)).toEqual(['quartier-c', 'quartier-d']);
    expect(rejected.map((r) => ({ index: r.index, field: r.error.field, reason: r.error.reason }))).toEqual([
      { index: 0, field: 'geometry.coordinates.0', reason: { key: 'self_crossing' } },
      { index: 1, field: 'geometry.coordinates.1.1', reason: { key: 'self_crossing' } },
    ]);
    expect(rejected[0]!.error.message).toBe('geometry.coordinates.0: the ring crosses itself (its edge from position 0 to 1 crosses the one from 2 to 3): a zone\'s boundary must not cross itself, or its inside is unclear');
  });

  it('takes a feature\'s own id (RFC 7946) when its properties have none; refuses a boundary of more than 20 000 positions', () => {
    const big = Array.from({ length: 20_001 }, (_, i) => [5 + Math.cos((2 * Math.PI * i) / 20_001) / 100, 43 + Math.sin((2 * Math.PI * i) / 20_001) / 100]);
    big.push(big[0]!);
    const { zones, rejected } = readZoneFeatures([
      { type: 'Feature', id: 'own', properties: { name: 'Own' }, geometry: polygon() },
      { type: 'Feature', id: 7, properties: null, geometry: polygon() },
      { type: 'Feature', id: 'big', properties: {}, geometry: { type: 'Polygon', coordinates: [big] } },
    ], { kind: 'q', idProperty: 'id', nameProperty: 'name', tags: [] });
    expect(zones.map((z) => [z.id, z.name])).toEqual([['q-own', 'Own'], ['q-7', '7']]);
    expect(rejected).toEqual([{ index: 2, error: { code: 'VIGIE_VALIDATION', field: 'geometry.coordinates', message: expect.stringMatching(/^geometry\.coordinates: 20002 positions, at most 20000: simplify/), reason: { key: 'too_big', limit: 20_000 } } }]);
  });

  it('refuses every feature sharing an id (1 and "1" alike), each naming the others', () => {
    const { zones, rejected } = read([feature({ code: 'a' }), feature({ code: 'b' }), feature({ code: 'a' }), feature({ code: 1 }), feature({ code: '1' }), feature({ code: 'a' })]);
    expect(zones.map((z) => z.id)).toEqual(['quartier-b']);
    expect(rejected.map((r) => [r.index, r.error.field, r.error.reason])).toEqual([
      [0, 'properties.code', { key: 'conflict' }], [2, 'properties.code', { key: 'conflict' }], [3, 'properties.code', { key: 'conflict' }],
      [4, 'properties.code', { key: 'conflict' }], [5, 'properties.code', { key: 'conflict' }],
    ]);
    expect(rejected[0]!.error.message).toMatch(/^properties\.code: "a" is also the id of features 2, 5: ids must be unique/);
    expect(rejected[2]!.error.message).toMatch(/^properties\.code: "1" is also the id of feature 4:/);
  });
});
