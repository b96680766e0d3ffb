import { describe, expect, it } from 'vitest';
import { convexHull, namesTheCity, parseCityGeocodes } from './city-area.ts';

describe('the city named by CAP geocodes', () => {
  const city = parseCityGeocodes(' 13, NUTS3=FRL04 ,,13055');
  it('matches a bare value under any name, a named one under its name only, without case', () => {
    expect(namesTheCity(['departement=13'], city)).toBe(true);
    expect(namesTheCity(['nuts3=frl04'], city)).toBe(true);
    expect(namesTheCity(['EMMA_ID=FRL04'], city)).toBe(false);
    expect(namesTheCity(['departement=84', 'INSEE=13055'], city)).toBe(true);
    expect(namesTheCity(['departement=84'], city)).toBe(false);
    expect(namesTheCity(['=13'], city)).toBe(true); // a geocode without its valueName
    expect(namesTheCity(['departement=13'], parseCityGeocodes(''))).toBe(false);
  });
});

describe('convexHull', () => {
  it('keeps the outer points, closed and counter-clockwise, and nothing for too few', () => {
    const hull = convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 0.5], [0, 0]]);
    expect(hull).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
    expect(convexHull([[0, 0], [1, 1], [2, 2]])).toBeUndefined();
    expect(convexHull([])).toBeUndefined();
  });
});
