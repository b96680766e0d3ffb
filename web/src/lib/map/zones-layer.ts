import type { Alert, Zone } from '@vigie/rules';
import type { Leaflet, LeafletModule } from './leaflet.ts';

const ZONE_STYLE: Leaflet.PathOptions = {
  color: '#6f8fb3',
  weight: 1.5,
  opacity: 0.9,
  fillColor: '#3b5878',
  fillOpacity: 0.12,
};
const BUSY_FILL = '#ff8a1f';

/** Active alerts per zone id. */
export function countByZone(alerts: readonly Alert[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of alerts) for (const z of a.zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  return counts;
}

/**
 * Zones as vector polygons (GeoJSON is [lon, lat]), each labelled with its name and the
 * number of active alerts in it, tinted by that number.
 */
export class ZonesLayer {
  readonly group: Leaflet.GeoJSON;
  readonly #byId = new Map<string, { layer: Leaflet.Path; name: string }>();
  #counts = new Map<string, number>();

  constructor(L: LeafletModule, zones: readonly Zone[]) {
    const collection: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: zones.map((zone) => ({ type: 'Feature', id: zone.id, properties: { name: zone.name, kind: zone.kind }, geometry: zone.geometry })),
    };
    this.group = L.geoJSON(collection, {
      style: () => ZONE_STYLE,
      interactive: true,
      onEachFeature: (feature, layer) => {
        const name = String(feature.properties?.name ?? feature.id ?? '');
        layer.bindTooltip(name, { permanent: true, direction: 'center', className: 'zone-label', interactive: false });
        this.#byId.set(String(feature.id), { layer: layer as Leaflet.Path, name });
      },
    });
  }

  /** Live counts: the label shows the number, the fill grows with it. */
  setCounts(counts: ReadonlyMap<string, number>): void {
    for (const [id, { layer, name }] of this.#byId) {
      const n = counts.get(id) ?? 0;
      if ((this.#counts.get(id) ?? 0) === n) continue;
      layer.setTooltipContent(n > 0 ? `${name} · ${n}` : name);
      // a zone with alerts keeps its label at every zoom level
      layer.getTooltip()?.getElement()?.classList.toggle('zone-busy', n > 0);
      layer.setStyle(n > 0 ? { fillColor: BUSY_FILL, fillOpacity: Math.min(0.35, 0.1 + 0.05 * n) } : ZONE_STYLE);
    }
    this.#counts = new Map(counts);
  }
}
