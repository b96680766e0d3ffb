import { translate, type Lang } from '../i18n/translate.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';
import { reconcile } from './reconcile.ts';
import type { SeenVehicle } from './vehicles.ts';

const VEHICLE_STYLE: Leaflet.CircleMarkerOptions = {
  radius: 3.5,
  color: '#0b0f14',
  weight: 1,
  fillColor: '#39d0c4',
  fillOpacity: 0.95,
};

const label = (vehicle: SeenVehicle, lang: Lang): string =>
  vehicle.line
    ? translate(lang, 'map.vehicleLine', { id: vehicle.id, line: vehicle.line })
    : translate(lang, 'map.vehicle', { id: vehicle.id });

/** Transport vehicles as small dots, moved in place as samples arrive. */
export class VehiclesLayer {
  readonly group: Leaflet.LayerGroup;
  readonly #markers = new Map<string, Leaflet.CircleMarker>();

  constructor(private readonly L: LeafletModule) {
    this.group = L.layerGroup();
  }

  get size(): number {
    return this.#markers.size;
  }

  update(vehicles: ReadonlyMap<string, SeenVehicle>, lang: Lang): void {
    reconcile(this.#markers, vehicles, {
      create: (vehicle) =>
        this.L.circleMarker([vehicle.lat, vehicle.lon], VEHICLE_STYLE)
          .bindTooltip(label(vehicle, lang), { direction: 'top' })
          .addTo(this.group),
      update: (marker, vehicle) => {
        marker.setLatLng([vehicle.lat, vehicle.lon]);
        marker.setTooltipContent(label(vehicle, lang));
      },
      remove: (marker) => {
        this.group.removeLayer(marker);
      },
    });
  }
}
