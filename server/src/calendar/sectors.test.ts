import { describe, expect, it } from 'vitest';
import { circlePerimeter } from '@vigie/rules';
import { relativeSector } from './sectors.ts';

const venue = { lat: 43.2699, lon: 5.3959 };
const perimeter = circlePerimeter(venue, 500);
const metresNorth = (m: number) => ({ lat: venue.lat + m / 111_195, lon: venue.lon });
const metresEast = (m: number) => ({ lat: venue.lat, lon: venue.lon + m / (111_195 * Math.cos((venue.lat * Math.PI) / 180)) });

describe('relativeSector', () => {
  it('is the perimeter inside the polygon, a compass quarter around it, null beyond 2 km', () => {
    expect(relativeSector(venue, perimeter, metresNorth(400))).toBe('perimeter');
    expect(relativeSector(venue, perimeter, metresNorth(700))).toBe('north');
    expect(relativeSector(venue, perimeter, metresNorth(-700))).toBe('south');
    expect(relativeSector(venue, perimeter, metresEast(1500))).toBe('east');
    expect(relativeSector(venue, perimeter, metresEast(-1500))).toBe('west');
    expect(relativeSector(venue, perimeter, metresEast(2100))).toBeNull();
  });
});
