import { describe, expect, it } from 'vitest';
import { DEMO_PLACES } from '../demo/places.ts';
import { accessPoints, servingLines, transportLines } from './transport-lines.ts';

const velodrome = { lat: 43.2699, lon: 5.3959 };

describe('transport lines around a venue', () => {
  const lines = transportLines(DEMO_PLACES, true);

  it('finds the lines serving the Vélodrome through their nearest stop', () => {
    expect(servingLines(lines, velodrome).map((s) => [s.line.id, s.stop.id])).toEqual([
      ['M2', 'rond-point-du-prado'], ['83', 'rond-point-du-prado'], ['19', 'rond-point-du-prado'],
    ]);
    expect(transportLines(DEMO_PLACES, false)).toEqual([]);
  });

  it('weights each access point by the lines stopping there', () => {
    expect(accessPoints(lines, velodrome).map((p) => [p.id, p.share])).toEqual([['rond-point-du-prado', 3], ['sainte-marguerite', 1]]);
  });
});
