import { describe, expect, it } from 'vitest';
import { inDrawingOrder } from './cluster-layer.ts';

const point = (id: string, cat: number) => ({ properties: { id, cat } });
const cluster = (id: number) => ({ properties: { cluster: true, cluster_id: id, point_count: 3 } });

describe("a cluster layer's drawing order", () => {
  it('draws the clusters first, then the points by category, the highest last (on top), each category in its given order', () => {
    const features = [point('high-1', 3), cluster(1), point('low', 1), point('critical', 4), point('high-2', 3), cluster(2), point('info', 0)];
    const ids = inDrawingOrder(features, 5).map((f) => ('id' in f.properties ? f.properties.id : `cluster-${f.properties.cluster_id}`));
    expect(ids).toEqual(['cluster-1', 'cluster-2', 'info', 'low', 'high-1', 'high-2', 'critical']);
  });

  it('loses no point whose category has no colour (drawn with the clusters, first)', () => {
    const features = [point('a', 0), point('odd', 7)];
    expect(inDrawingOrder(features, 1).map((f) => f.properties.id)).toEqual(['odd', 'a']);
  });
});
