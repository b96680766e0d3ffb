import { describe, expect, it } from 'vitest';
import { eventTypeLabel } from './event-type.ts';

describe('eventTypeLabel', () => {
  it('names a listed type in each language', () => {
    expect(eventTypeLabel('accident.bike', 'fr')).toBe('accident de vélo');
    expect(eventTypeLabel('accident.bike', 'en')).toBe('bicycle accident');
  });
  it('names an unlisted type of a known family by the family, with the rest of the type', () => {
    expect(eventTypeLabel('incident.graffiti', 'fr')).toBe('incident (graffiti)');
    expect(eventTypeLabel('transport.road.road_works', 'en')).toBe('transport (road.road_works)');
  });
  it('leaves any other type to the caller', () => {
    expect(eventTypeLabel('x.y', 'fr')).toBeUndefined();
    expect(eventTypeLabel('incident', 'fr')).toBeUndefined();
    expect(eventTypeLabel('toString', 'en')).toBeUndefined();
    expect(eventTypeLabel('constructor.x', 'en')).toBeUndefined();
  });
});
