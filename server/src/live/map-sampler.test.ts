import type { StoredEvent } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { FULL_EVERY_MS, MapSampler } from './map-sampler.ts';

const T = Date.parse('2026-11-28T20:00:00Z');
const position = (vehicle: string, lat: number, at: number): StoredEvent => ({
  id: `veh-${vehicle}-${at}`, source: 'rtm', type: 'transport.vehicle.position', time: new Date(at).toISOString(), receivedAt: new Date(at).toISOString(),
  location: { lat, lon: 5.38 }, attributes: { vehicleId: vehicle, line: '83' },
});
const ids = (s: { vehicles: { id: string }[] } | undefined) => s?.vehicles.map((v) => v.id).sort();

describe('MapSampler', () => {
  it('sends every vehicle first, then only those that moved, and every one again each minute', () => {
    const m = new MapSampler();
    m.add([position('a', 43.3, T), position('b', 43.31, T)], T);
    expect(ids(m.take(T + 1000))).toEqual(['a', 'b']);
    expect(m.take(T + 2000)).toBeUndefined(); // nothing moved
    m.add([position('a', 43.301, T + 2500)], T + 2500);
    expect(m.take(T + 3000)).toEqual({ vehicles: [{ id: 'a', lat: 43.301, lon: 5.38, time: new Date(T + 2500).toISOString(), line: '83' }], events: [] });
    expect(ids(m.take(T + 1000 + FULL_EVERY_MS))).toEqual(['a', 'b']);
    expect(ids(m.current())).toEqual(['a', 'b']);
  });

  it('forgets a vehicle unseen for five minutes, and keeps the located events of the flush', () => {
    const m = new MapSampler();
    m.add([position('a', 43.3, T)], T);
    m.take(T);
    const incident = { ...position('x', 43.29, T + 1000), id: 'i1', source: 'csu', type: 'incident.theft', attributes: {} };
    m.add([incident], T + 5 * 60_000 + 1);
    const s = m.take(T + 5 * 60_000 + 1)!;
    expect(s.vehicles).toEqual([]);
    expect(s.events.map((e) => e.id)).toEqual(['i1']);
    expect(m.current().vehicles).toEqual([]);
  });
});
