import type { Alert } from '@vigie/rules';

export type LatLon = readonly [lat: number, lon: number];

/** Evidence events that can be drawn: those with a location. */
export function locatedEvidence(alert: Alert): (Alert['evidence'][number] & { location: { lat: number; lon: number } })[] {
  return alert.evidence.filter((e): e is typeof e & { location: { lat: number; lon: number } } => e.location !== undefined);
}

/** The points the map frames when an alert is selected: its location and its evidence's. */
export function focusPoints(alert: Alert): LatLon[] {
  const points: LatLon[] = locatedEvidence(alert).map((e) => [e.location.lat, e.location.lon]);
  if (alert.location) points.unshift([alert.location.lat, alert.location.lon]);
  return points;
}

/**
 * From which zoom level zone names are shown: always when there are few zones, else only
 * once zoomed in past the city view (a grid of sectors would bury the map in labels).
 */
export function zoneLabelMinZoom(zoneCount: number, cityZoom: number, fewZones = 30): number {
  return zoneCount <= fewZones ? 0 : cityZoom + 2;
}
