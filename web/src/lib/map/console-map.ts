import type { Alert, Place, Zone } from '@vigie/rules';
import type { CityConfig } from '../api/types.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import { AlertsLayer } from './alerts-layer.ts';
import { createEvidenceLayer } from './evidence-layer.ts';
import { focusPoints, zoneLabelMinZoom } from './focus.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';
import { createPlacesLayer } from './places-layer.ts';
import type { SeenVehicle } from './vehicles.ts';
import { VehiclesLayer } from './vehicles-layer.ts';
import { createZonesLayer } from './zones-layer.ts';

/** How many markers are drawn (a hidden layer draws none). */
export type MarkerCounts = { alerts: number; vehicles: number };

export type ConsoleMapOptions = {
  config: CityConfig;
  zones: readonly Zone[];
  places: readonly Place[];
  lang: Lang;
  onSelect(id: string): void;
  onCounts(counts: MarkerCounts): void;
};

/** Most zoomed-in view when framing one alert. */
const FOCUS_MAX_ZOOM = 15;
const FOCUS_MARGIN = 48;

/**
 * The console's Leaflet map: zones, places, alerts, vehicles and the selected alert's
 * evidence, drawn on canvas. Everything it adds, `destroy` removes.
 */
export class ConsoleMap {
  readonly #L: LeafletModule;
  readonly #map: Leaflet.Map;
  readonly #zones: Leaflet.GeoJSON;
  readonly #places: Leaflet.LayerGroup;
  readonly #alerts: AlertsLayer;
  readonly #vehicles: VehiclesLayer;
  readonly #onCounts: (counts: MarkerCounts) => void;
  #control: Leaflet.Control.Layers | null = null;
  #evidence: Leaflet.LayerGroup | null = null;

  constructor(L: LeafletModule, container: HTMLElement, options: ConsoleMapOptions) {
    const { config, zones, places, lang } = options;
    this.#L = L;
    this.#onCounts = options.onCounts;
    this.#map = L.map(container, {
      preferCanvas: true,
      center: config.city.center,
      zoom: config.city.zoom,
      zoomControl: true,
      attributionControl: true,
      // The arrow keys move through the alert queue, not the map.
      keyboard: false,
    });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(this.#map);
    }
    this.#zones = createZonesLayer(L, zones).addTo(this.#map);
    this.#places = createPlacesLayer(L, places).addTo(this.#map);
    this.#alerts = new AlertsLayer(L, options.onSelect);
    this.#alerts.group.addTo(this.#map);
    this.#vehicles = new VehiclesLayer(L);
    this.#vehicles.group.addTo(this.#map);

    const labelZoom = zoneLabelMinZoom(zones.length, config.city.zoom);
    const showLabels = () =>
      container.classList.toggle('zone-labels-hidden', this.#map.getZoom() < labelZoom);
    showLabels();
    this.#map.on('zoomend', showLabels);
    this.#map.on('overlayadd overlayremove', () => this.#reportCounts());
    this.setLanguage(lang);
  }

  /** (Re)build the layer switcher with labels in `lang`. */
  setLanguage(lang: Lang): void {
    this.#control?.remove();
    this.#control = this.#L.control
      .layers(
        undefined,
        {
          [translate(lang, 'map.layer.zones')]: this.#zones,
          [translate(lang, 'map.layer.places')]: this.#places,
          [translate(lang, 'map.layer.alerts')]: this.#alerts.group,
          [translate(lang, 'map.layer.vehicles')]: this.#vehicles.group,
        },
        { position: 'topleft', collapsed: false },
      )
      .addTo(this.#map);
  }

  setAlerts(alerts: readonly Alert[], selectedId: string | null): void {
    this.#alerts.update(alerts, selectedId);
    this.#reportCounts();
  }

  setVehicles(vehicles: ReadonlyMap<string, SeenVehicle>, lang: Lang): void {
    this.#vehicles.update(vehicles, lang);
    this.#reportCounts();
  }

  /** Draw the evidence of `alert` (none when null), replacing the previous one. */
  showEvidence(alert: Alert | null, lang: Lang): void {
    this.#evidence?.remove();
    this.#evidence = alert ? createEvidenceLayer(this.#L, alert, lang).addTo(this.#map) : null;
  }

  /** Frame the alert and its evidence, clear of `rightInset` pixels covered on the right. */
  focus(alert: Alert, rightInset: number): void {
    const points = focusPoints(alert);
    if (points.length === 0) return;
    this.#map.fitBounds(this.#L.latLngBounds(points.map(([lat, lon]) => [lat, lon])), {
      paddingTopLeft: [FOCUS_MARGIN, FOCUS_MARGIN],
      paddingBottomRight: [rightInset + FOCUS_MARGIN, FOCUS_MARGIN],
      maxZoom: FOCUS_MAX_ZOOM,
    });
  }

  /** Leaflet measures its container: tell it when the layout changed. */
  resize(): void {
    this.#map.invalidateSize();
  }

  destroy(): void {
    this.#control?.remove();
    this.#evidence?.remove();
    this.#map.off();
    this.#map.remove();
  }

  #reportCounts(): void {
    this.#onCounts({
      alerts: this.#map.hasLayer(this.#alerts.group) ? this.#alerts.size : 0,
      vehicles: this.#map.hasLayer(this.#vehicles.group) ? this.#vehicles.size : 0,
    });
  }
}
