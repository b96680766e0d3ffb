import type { Alert, Zone } from '@vigie/rules';
import type { Leaflet, LeafletModule } from './leaflet.ts';

/** How a family of zones is drawn: the city's own, or a warning's areas. */
export type ZoneLook = {
  style: Leaflet.PathOptions;
  /** The fill once alerts lie in the zone. */
  busyFill: string;
  /** The label's own class (beside `zone-label`). */
  labelClass?: string;
  /** The label for a zone's name (before the alert count). */
  label(name: string): string;
};

export const CITY_ZONES: ZoneLook = {
  style: { color: '#6f8fb3', weight: 1.5, opacity: 0.9, fillColor: '#3b5878', fillOpacity: 0.12 },
  busyFill: '#ff8a1f',
  label: (name) => name,
};

/** A warning's areas (CAP): amber, dashed, their label always shown. */
export const WARNING_ZONES: ZoneLook = {
  style: { color: '#ffb020', weight: 2.5, opacity: 1, dashArray: '8 6', fillColor: '#ffb020', fillOpacity: 0.1 },
  busyFill: '#ff8a1f',
  labelClass: 'zone-warning',
  label: (name) => `⚠ ${name}`,
};

/** Active alerts per zone id. */
export function countByZone(alerts: readonly Alert[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of alerts) for (const z of a.zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  return counts;
}

/**
 * Zones as vector polygons (GeoJSON is [lon, lat]), each labelled with its name and the
 * number of active alerts in it, tinted by that number. `setZones` replaces them (a warning
 * came or went) and keeps the counts.
 */
export class ZonesLayer {
  readonly group: Leaflet.GeoJSON;
  readonly #byId = new Map<string, { layer: Leaflet.Path; name: string }>();
  #counts = new Map<string, number>();
  readonly #look: ZoneLook;
  readonly #L: LeafletModule;

  constructor(L: LeafletModule, zones: readonly Zone[], look: ZoneLook = CITY_ZONES) {
    this.#L = L;
    this.#look = look;
    this.group = L.geoJSON(undefined, {
      style: () => look.style,
      interactive: true,
      onEachFeature: (feature, layer) => {
        const name = String(feature.properties?.name ?? feature.id ?? '');
        const className = look.labelClass ? `zone-label ${look.labelClass}` : 'zone-label';
        layer.bindTooltip(look.label(name), { permanent: true, direction: 'center', className, interactive: false });
        this.#byId.set(String(feature.id), { layer: layer as Leaflet.Path, name });
      },
    });
    this.setZones(zones);
  }

  /** Draws these zones instead of the previous ones (their alert counts kept). */
  setZones(zones: readonly Zone[]): void {
    this.group.clearLayers();
    this.#byId.clear();
    const collection: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: zones.map((zone) => ({ type: 'Feature', id: zone.id, properties: { name: zone.name, kind: zone.kind }, geometry: zone.geometry })),
    };
    this.group.addData(collection);
    const counts = this.#counts;
    this.#counts = new Map();
    this.setCounts(counts);
  }

  /** The bounds of every zone drawn here, or null when there is none. */
  bounds(): Leaflet.LatLngBounds | null {
    return this.boundsOf([...this.#byId.keys()]);
  }

  /** The bounds of these zones (those drawn here), or null when none is. */
  boundsOf(ids: readonly string[]): Leaflet.LatLngBounds | null {
    let bounds: Leaflet.LatLngBounds | null = null;
    for (const id of ids) {
      const layer = this.#byId.get(id)?.layer as Leaflet.Polygon | undefined;
      if (!layer) continue;
      const b = layer.getBounds();
      bounds = bounds ? bounds.extend(b) : this.#L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    }
    return bounds;
  }

  /** Live counts: the label shows the number, the fill grows with it. */
  setCounts(counts: ReadonlyMap<string, number>): void {
    for (const [id, { layer, name }] of this.#byId) {
      const n = counts.get(id) ?? 0;
      if ((this.#counts.get(id) ?? 0) === n) continue;
      const label = this.#look.label(name);
      layer.setTooltipContent(n > 0 ? `${label} · ${n}` : label);
      // a zone with alerts keeps its label at every zoom level
      layer.getTooltip()?.getElement()?.classList.toggle('zone-busy', n > 0);
      layer.setStyle(n > 0 ? { fillColor: this.#look.busyFill, fillOpacity: Math.min(0.35, 0.1 + 0.05 * n) } : this.#look.style);
    }
    this.#counts = new Map(counts);
  }
}
