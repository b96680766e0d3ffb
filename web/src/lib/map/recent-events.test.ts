import { describe, expect, it } from 'vitest';
import { addRecentEvents, eventLayerOf, heatWeight } from './recent-events.ts';

const ev = (id: string, minutesAgo: number, type = 'incident.theft') => ({ source: 'csu', id, type, time: new Date(Date.parse('2026-11-28T20:00:00Z') - minutesAgo * 60_000).toISOString(), lat: 43.3, lon: 5.37 });
const NOW = Date.parse('2026-11-28T20:00:00Z');

describe('recent events for the map', () => {
  it('sorts events into layers by type', () => {
    expect(eventLayerOf('lighting.fault')).toBe('lighting');
    expect(eventLayerOf('lighting.repaired')).toBeNull();
    expect(eventLayerOf('lighting.update')).toBeNull();
    expect(eventLayerOf('citizen.report.noise')).toBe('citizen');
    expect(eventLayerOf('health.admission')).toBe('health');
    expect(eventLayerOf('accident.bike')).toBe('incidents');
    expect(eventLayerOf('event.concert')).toBeNull();
  });
  it('adds each event once and drops those older than the window', () => {
    const a = addRecentEvents([], [ev('1', 90), ev('2', 5)], NOW);
    expect(a.map((e) => e.id)).toEqual(['2']);
    const b = addRecentEvents(a, [ev('2', 5), ev('3', 1)], NOW);
    expect(b.map((e) => e.id)).toEqual(['2', '3']);
    expect(addRecentEvents(b, [ev('4', 0)], NOW, 60 * 60_000, 2).map((e) => e.id)).toEqual(['3', '4']);
  });
  it('weighs by severity', () => {
    expect(heatWeight({ ...ev('1', 0), severity: 5 })).toBe(1);
    expect(heatWeight(ev('1', 0))).toBe(0.4);
  });
});
