import { describe, expect, it } from 'vitest';
import { updateVehicles } from './vehicles.ts';

const v = (id: string, lat: number) => ({ id, lat, lon: 5.37, time: '2026-11-28T21:00:00Z' });

describe('updateVehicles', () => {
  it('moves known vehicles, adds new ones and keeps recent ones missing from a sample', () => {
    let vehicles = updateVehicles(new Map(), [v('bus-1', 43.1), v('bus-2', 43.2)], 0, 1000);
    vehicles = updateVehicles(vehicles, [v('bus-1', 43.15), v('tram-1', 43.3)], 500, 1000);
    expect([...vehicles.keys()].sort()).toEqual(['bus-1', 'bus-2', 'tram-1']);
    expect(vehicles.get('bus-1')?.lat).toBe(43.15);
  });

  it('drops vehicles not seen for longer than the TTL', () => {
    let vehicles = updateVehicles(new Map(), [v('bus-1', 43.1), v('bus-2', 43.2)], 0, 1000);
    vehicles = updateVehicles(vehicles, [v('bus-1', 43.1)], 1500, 1000);
    expect([...vehicles.keys()]).toEqual(['bus-1']);
  });
});
