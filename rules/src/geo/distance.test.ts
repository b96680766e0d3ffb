import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosLat, distanceMeters, haversineLimit, haversineTerm, metersOfTerm, withinMeters } from './distance.ts';

describe('withinMeters', () => {
  it('says exactly what distanceMeters(a, b) <= meters says, also a hair either side of the limit', () => {
    fc.assert(fc.property(
      fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }),
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 1, max: 5000, noNaN: true }),
      fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
      (lat, lon, bearing, meters, jitter) => {
        const a = { lat, lon };
        // a point at about `meters` from a, nudged by a hair, then by nothing: the limit itself
        const dLat = (meters / 111_320) * Math.cos(bearing), dLon = (meters / (111_320 * Math.cos((lat * Math.PI) / 180))) * Math.sin(bearing);
        const limit = haversineLimit(meters);
        for (const f of [1 + jitter, 1, 0.5, 2]) {
          const b = { lat: lat + dLat * f, lon: lon + dLon * f };
          // a at offset 1, b at offset 5 (other numbers around them)
          const p = Float64Array.of(-1, a.lat, a.lon, cosLat(a.lat), -1, b.lat, b.lon, cosLat(b.lat), -1);
          expect(withinMeters(p, 1, 5, meters, limit)).toBe(distanceMeters(a, b) <= meters);
          // and at exactly the computed distance
          const d = distanceMeters(a, b);
          const exact = haversineLimit(d);
          expect(withinMeters(p, 1, 5, d, exact)).toBe(true);
        }
      },
    ), { numRuns: 3000 });
  });
});

describe('haversineTerm', () => {
  it('gives distanceMeters to the bit through metersOfTerm, and the farthest of several points by its term', () => {
    fc.assert(fc.property(
      fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }),
      fc.array(fc.tuple(fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true })), { minLength: 1, maxLength: 12 }),
      (lat, lon, offsets) => {
        const a = { lat, lon };
        const points = offsets.map(([dLat, dLon]) => ({ lat: lat + dLat, lon: lon + dLon }));
        const terms = points.map((b) => haversineTerm(a.lat, a.lon, cosLat(a.lat), b.lat, b.lon, cosLat(b.lat)));
        points.forEach((b, k) => expect(metersOfTerm(terms[k]!)).toBe(distanceMeters(a, b)));
        expect(metersOfTerm(Math.max(...terms))).toBe(Math.max(...points.map((b) => distanceMeters(a, b))));
      },
    ), { numRuns: 3000 });
  });
});
