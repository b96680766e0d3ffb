import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '@vigie/rules';
import { SEVERITY_COLORS } from '../alerts/severity.ts';
import { WALL_ALERT_COLORS, wallAlertCategory, wallScale, zonesBounds } from './wall-map.ts';

describe("the wall map's scale", () => {
  it('follows the wall’s root font size: 1 at 1920×1080 (17 px), 2 at 3840×2160, 2/3 at 1280×720', () => {
    expect(wallScale(17)).toBe(1);
    expect(wallScale(16.992)).toBe(1);
    expect(wallScale(33.984)).toBe(2);
    expect(wallScale(11.33)).toBe(0.67);
  });

  it('is 1 when the font size cannot be read', () => {
    expect(wallScale(Number.NaN)).toBe(1);
    expect(wallScale(0)).toBe(1);
  });
});

describe("the city view's bounds", () => {
  const square = (lon: number, lat: number, d: number) => ({
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
  });

  it('hold every zone, polygons and multipolygons alike (GeoJSON positions are lon, lat)', () => {
    const multi = { geometry: { type: 'MultiPolygon', coordinates: [[[[5.3, 43.2], [5.31, 43.2], [5.31, 43.21], [5.3, 43.2]]], [[[5.5, 43.38], [5.52, 43.38], [5.52, 43.386], [5.5, 43.38]]]] } };
    expect(zonesBounds([square(5.36, 43.25, 0.02), multi])).toEqual([[43.2, 5.3], [43.386, 5.52]]);
  });

  it('are none without zones', () => {
    expect(zonesBounds([])).toBeNull();
  });
});

describe("an alert's category on the wall's map", () => {
  it('orders by severity, and within one, an open alert above an acknowledged one', () => {
    const order = (['info', 'low', 'medium', 'high', 'critical'] as const).flatMap((severity) => [
      wallAlertCategory({ severity, status: 'acknowledged' }),
      wallAlertCategory({ severity, status: 'open' }),
    ]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(Math.max(...order)).toBe(wallAlertCategory({ severity: 'critical', status: 'open' }));
  });

  it("has its severity's colour, paler when acknowledged", () => {
    for (const severity of SEVERITIES) {
      expect(WALL_ALERT_COLORS[wallAlertCategory({ severity, status: 'open' })]).toBe(SEVERITY_COLORS[severity]);
      expect(WALL_ALERT_COLORS[wallAlertCategory({ severity, status: 'acknowledged' })]).toBe(`${SEVERITY_COLORS[severity]}8c`);
    }
  });
});
