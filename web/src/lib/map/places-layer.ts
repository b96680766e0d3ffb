import type { Place } from '@vigie/rules';
import type { Leaflet, LeafletModule } from './leaflet.ts';

/** Places as small labelled dots (stations, stadiums, hospitals…). */
export function createPlacesLayer(L: LeafletModule, places: readonly Place[]): Leaflet.LayerGroup {
  const group = L.layerGroup();
  for (const place of places) {
    L.circleMarker([place.lat, place.lon], {
      radius: 4,
      color: '#c9d6e3',
      weight: 1,
      fillColor: '#e8eef5',
      fillOpacity: 0.9,
      interactive: false,
    })
      .bindTooltip(place.name, { permanent: true, direction: 'right', offset: [6, 0], className: 'place-label' })
      .addTo(group);
  }
  return group;
}
