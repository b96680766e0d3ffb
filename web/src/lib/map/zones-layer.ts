import type { Zone } from '@vigie/rules';
import type { Leaflet, LeafletModule } from './leaflet.ts';

const ZONE_STYLE: Leaflet.PathOptions = {
  color: '#6f8fb3',
  weight: 1.5,
  opacity: 0.9,
  fillColor: '#3b5878',
  fillOpacity: 0.12,
};

/** Zones as vector polygons (GeoJSON is [lon, lat]), each labelled with its name. */
export function createZonesLayer(L: LeafletModule, zones: readonly Zone[]): Leaflet.GeoJSON {
  const collection: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: zones.map((zone) => ({
      type: 'Feature',
      id: zone.id,
      properties: { name: zone.name, kind: zone.kind },
      geometry: zone.geometry,
    })),
  };
  return L.geoJSON(
    collection,
    {
      style: () => ZONE_STYLE,
      interactive: true,
      onEachFeature: (feature, layer) => {
        const name = String(feature.properties?.name ?? feature.id ?? '');
        layer.bindTooltip(name, { permanent: true, direction: 'center', className: 'zone-label', interactive: false });
      },
    },
  );
}
