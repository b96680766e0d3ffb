import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import { storeGtfsStatic } from './gtfs-static-repo.ts';
import { StopPlaces } from './stop-places.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await memoryDatabase();
});
afterAll(() => t.drop());

const stop = (id: string, lat: number, lon: number, name = `Stop ${id}`) => ({ id, name, lat, lon });

describe('StopPlaces', () => {
  it('places an item naming a stop of its source and no position there, and leaves every other item as it is', async () => {
    const stops = new StopPlaces(t.db);
    const delay = { id: 'd1', source: 'rtm', type: 'transport.delay', time: '2026-11-30T08:00:00Z', attributes: { stopId: 'R:2', line: 'M1' } };
    await stops.load();
    expect(stops.place(delay, 'rtm')).toBeUndefined(); // nothing imported yet: not Vigie's to place

    await storeGtfsStatic(t.db, 'rtm', { stops: [stop('R:2', 43.3027, 5.3806), stop('17', 43.2951, 5.3745)], routes: [], rejected: [] });
    await storeGtfsStatic(t.db, 'zou', { stops: [stop('17', 43.5, 5.4)], routes: [], rejected: [] });
    await stops.load();
    expect(stops.size).toBe(3);
    // A stop id holding ':' is the stop's own (the source ends at the first one).
    expect(stops.place(delay, 'rtm')).toEqual({ ...delay, location: { lat: 43.3027, lon: 5.3806 }, attributes: { stopId: 'R:2', line: 'M1', stopName: 'Stop R:2' } });
    expect(delay).not.toHaveProperty('location'); // a copy: the decoded message stays as it came
    expect(delay.attributes).not.toHaveProperty('stopName');
    // A name the item gives is its own.
    expect(stops.place({ ...delay, attributes: { stopId: 'R:2', stopName: 'Réformés' } }, 'rtm')).toMatchObject({ location: { lat: 43.3027 }, attributes: { stopName: 'Réformés' } });
    // A number as stop id; the item's own source rather than the message's (formats that carry it per item).
    expect(stops.place({ source: 'zou', attributes: { stopId: 17 } }, 'rtm')).toMatchObject({ location: { lat: 43.5, lon: 5.4 } });
    expect(stops.place({ attributes: { stopId: 17 } }, 'rtm')).toMatchObject({ location: { lat: 43.2951, lon: 5.3745 } });

    // Its own location, no stop named, not an object: not Vigie's to place.
    const own = { ...delay, location: { lat: 43.29, lon: 5.37 } };
    for (const item of [own, { ...delay, attributes: {} }, { ...delay, attributes: { stopId: true } }, 'text', null, [delay]]) {
      expect(stops.place(item, 'rtm')).toBeUndefined();
    }
    // A stop not known (another source's, or none of that id): Vigie's to place, left where it is (nowhere).
    for (const item of [{ ...delay, source: 'other' }, { ...delay, attributes: { stopId: 'R:9' } }]) {
      expect(stops.place(item, 'rtm')).toBe(item);
    }

    // A new import replaces the source's stops; the next load reads it.
    // A stop with no name (GTFS lets a boarding area or a node go unnamed) places and names nothing more.
    await storeGtfsStatic(t.db, 'rtm', { stops: [stop('R:2', 43.31, 5.39, 'Réformés Canebière'), stop('N1', 43.3, 5.4, '  ')], routes: [], rejected: [] });
    await stops.load();
    expect(stops.at('rtm', 'R:2')).toEqual({ lat: 43.31, lon: 5.39, name: 'Réformés Canebière' });
    expect(stops.place({ attributes: { stopId: 'N1' } }, 'rtm')).toEqual({ attributes: { stopId: 'N1' }, location: { lat: 43.3, lon: 5.4 } });
    expect(stops.at('rtm', '17')).toBeUndefined();
    expect(stops.place({ attributes: { stopId: 17 } }, 'rtm')).toEqual({ attributes: { stopId: 17 } }); // dropped: still Vigie's to place
  });
});
