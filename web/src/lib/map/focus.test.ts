import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { focusPoints, zoneLabelMinZoom } from './focus.ts';

describe('focusPoints', () => {
  it('lists the alert location first, then located evidence', () => {
    const alert = makeAlert({
      location: { lat: 43.3, lon: 5.4 },
      evidence: [
        { source: 'csu', id: '1', type: 'incident.assault', time: '2026-11-28T21:00:00Z', location: { lat: 43.31, lon: 5.41 } },
        { source: 'rtm', id: '2', type: 'transport.delay', time: '2026-11-28T21:01:00Z' },
      ],
    });
    expect(focusPoints(alert)).toEqual([
      [43.3, 5.4],
      [43.31, 5.41],
    ]);
  });

  it('is empty for an alert with no location and no located evidence', () => {
    expect(focusPoints(makeAlert({ location: null, evidence: [] }))).toEqual([]);
  });
});

describe('zoneLabelMinZoom', () => {
  it('labels few zones at every zoom, many only when zoomed in', () => {
    expect(zoneLabelMinZoom(16, 13)).toBe(0);
    expect(zoneLabelMinZoom(400, 13)).toBe(15);
  });
});
