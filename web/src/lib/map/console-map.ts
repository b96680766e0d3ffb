import { SEVERITIES, type Alert, type Place, type Zone } from '@vigie/rules';
import type { CityConfig } from '../api/types.ts';
import { markerRadius, severityRankOf, SEVERITY_COLORS } from '../alerts/severity.ts';
import { translate, type Lang } from '../i18n/translate.ts';
import { zoomControl } from './zoom-control.ts';
import { ClusterLayer, type ClusterPoint } from './cluster-layer.ts';
import { createEvidenceLayer } from './evidence-layer.ts';
import { focusPoints, zoneLabelMinZoom } from './focus.ts';
import { HeatLayer } from './heat-layer.ts';
import { declutterLabels } from './label-declutter.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';
import { createPlacesLayer } from './places-layer.ts';
import { EVENT_LAYERS, eventLayerOf, heatWeight, type EventLayer, type SampledEvent } from './recent-events.ts';
import type { SeenVehicle } from './vehicles.ts';
import { isWarning } from '../console/warnings.ts';
import { countByZone, WARNING_ZONES, ZonesLayer } from './zones-layer.ts';

/** How many markers are drawn (a hidden layer draws none). */
export type MarkerCounts = { alerts: number; vehicles: number; events: number };

export type ConsoleMapOptions = {
  config: CityConfig;
  zones: readonly Zone[];
  places: readonly Place[];
  lang: Lang;
  onSelect(id: string): void;
  onCounts(counts: MarkerCounts): void;
  /** Pixels covered on the right (by the detail panel), read when framing. */
  rightInset(): number;
};

/** Most zoomed-in view when framing one alert. */
const FOCUS_MAX_ZOOM = 15;
const FOCUS_MARGIN = 48;
/** Room around the city's zones when framing the whole city. */
const CITY_MARGIN = 16;

const ALERT_COLORS = SEVERITIES.map((s) => SEVERITY_COLORS[s]);
const VEHICLE_COLORS = ['#39d0c4'];
const EVENT_COLORS: Record<EventLayer, string> = { incidents: '#ff6b8a', lighting: '#ffe066', citizen: '#b48cff', health: '#5ee07a' };

/**
 * The console's Leaflet map: zones (with live counts), places, alerts clustered by
 * severity mix, vehicles, recent events by kind, a heatmap, and the selected alert's
 * evidence, all drawn on canvas. Everything it adds, `destroy` removes.
 */
export class ConsoleMap {
  readonly #L: LeafletModule;
  readonly #map: Leaflet.Map;
  readonly #zones: ZonesLayer;
  /** The areas of the warnings in force (CAP), above the city's zones. */
  readonly #warnings: ZonesLayer;
  readonly #places: Leaflet.LayerGroup;
  readonly #alerts: ClusterLayer;
  readonly #vehicles: ClusterLayer;
  readonly #events: Record<EventLayer, ClusterLayer>;
  readonly #heat: HeatLayer;
  readonly #onCounts: (counts: MarkerCounts) => void;
  #control: Leaflet.Control.Layers | null = null;
  #controlCollapsed = false;
  #lang: Lang;
  #evidence: Leaflet.LayerGroup | null = null;
  readonly #config: CityConfig;
  readonly #rightInset: () => number;
  #cityButton: Leaflet.Control | null = null;
  #zoom: Leaflet.Control.Zoom | null = null;
  /** The view to go back to when the alert detail closes (saved when an alert is framed from no alert). */
  #returnTo: { center: Leaflet.LatLng; zoom: number } | null = null;
  /** A move of ours is under way (framing an alert, the city, a warning), till its `moveend`. */
  #moving = false;
  readonly #container: HTMLElement;
  /** The frame the labels are laid out again in (one per frame, whatever asked). */
  #declutterFrame = 0;

  constructor(L: LeafletModule, container: HTMLElement, options: ConsoleMapOptions) {
    const { config, zones, places, lang } = options;
    this.#L = L;
    this.#lang = lang;
    this.#onCounts = options.onCounts;
    this.#config = config;
    this.#rightInset = options.rightInset;
    this.#container = container;
    this.#map = L.map(container, {
      preferCanvas: true,
      center: config.city.center,
      zoom: config.city.zoom,
      zoomControl: false, // added in the console's language (setLanguage)
      attributionControl: true,
      // The arrow keys move through the alert queue, not the map.
      keyboard: false,
    });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(this.#map);
    }
    this.#zones = new ZonesLayer(L, zones.filter((z) => !isWarning(z)));
    this.#zones.group.addTo(this.#map);
    this.#warnings = new ZonesLayer(L, zones.filter(isWarning), WARNING_ZONES);
    this.#warnings.group.addTo(this.#map);
    this.#places = createPlacesLayer(L, places).addTo(this.#map);
    this.#heat = new HeatLayer(L);
    this.#heat.layer.addTo(this.#map);
    this.#events = Object.fromEntries(
      EVENT_LAYERS.map((k) => [k, new ClusterLayer(L, `vigie-events-${k}`, { colors: [EVENT_COLORS[k]], pointRadius: () => 4, clusterRadius: 40, rebuildMs: 500 })]),
    ) as Record<EventLayer, ClusterLayer>;
    for (const k of EVENT_LAYERS) this.#events[k].layer.addTo(this.#map);
    this.#vehicles = new ClusterLayer(L, 'vigie-vehicles', { colors: VEHICLE_COLORS, pointRadius: () => 3.5, clusterRadius: 40, rebuildMs: 500 });
    this.#vehicles.layer.addTo(this.#map);
    this.#alerts = new ClusterLayer(L, 'vigie-alerts', {
      colors: ALERT_COLORS,
      pointRadius: (cat) => markerRadius(SEVERITIES[cat]!),
      onSelect: options.onSelect,
    });
    this.#alerts.layer.addTo(this.#map);

    const labelZoom = zoneLabelMinZoom(zones.length, config.city.zoom);
    const showLabels = () => container.classList.toggle('zone-labels-hidden', this.#map.getZoom() < labelZoom);
    showLabels();
    this.#map.on('zoomend', showLabels);
    this.#map.on('zoomend moveend resize overlayadd overlayremove', () => this.#declutter());
    this.#map.on('overlayadd overlayremove', () => this.#reportCounts());
    // The operator moving the map while an alert is open keeps the map where they took it.
    this.#map.on('moveend', () => (this.#moving = false));
    this.#map.on('movestart', () => {
      if (!this.#moving) this.#returnTo = null;
    });
    this.setLanguage(lang);
    this.#declutter();
  }

  /** (Re)build the layers panel with labels in `lang`. */
  setLanguage(lang: Lang): void {
    this.#lang = lang;
    this.#control?.remove();
    this.#controlCollapsed = this.#narrow();
    const tr = (k: Parameters<typeof translate>[1]) => translate(lang, k);
    this.#zoom?.remove();
    this.#zoom = zoomControl(this.#L, lang).addTo(this.#map);
    this.#cityButton?.remove();
    this.#cityButton = this.#cityControl(tr('map.city')).addTo(this.#map);
    this.#control = this.#L.control
      .layers(
        undefined,
        {
          [tr('map.layer.zones')]: this.#zones.group,
          [tr('map.layer.warnings')]: this.#warnings.group,
          [tr('map.layer.places')]: this.#places,
          [tr('map.layer.alerts')]: this.#alerts.layer,
          [tr('map.layer.heatmap')]: this.#heat.layer,
          [tr('map.layer.incidents')]: this.#events.incidents.layer,
          [tr('map.layer.vehicles')]: this.#vehicles.layer,
          [tr('map.layer.lighting')]: this.#events.lighting.layer,
          [tr('map.layer.citizen')]: this.#events.citizen.layer,
          [tr('map.layer.health')]: this.#events.health.layer,
        },
        // Open on wide screens; a button that unfolds on smaller ones, so it does not hide the map.
        { position: 'topleft', collapsed: this.#controlCollapsed },
      )
      .addTo(this.#map);
    // Its button (a narrow screen) says what it opens, in the console's language.
    const toggle = this.#control.getContainer()?.querySelector('.leaflet-control-layers-toggle');
    toggle?.setAttribute('title', tr('map.layers'));
    toggle?.setAttribute('aria-label', tr('map.layers'));
  }

  /** The alerts to draw (and count per zone); the selected one is told apart by `select`. */
  setAlerts(alerts: readonly Alert[]): void {
    const points: ClusterPoint[] = [];
    for (const a of alerts) {
      if (a.location) points.push({ id: a.id, lat: a.location.lat, lon: a.location.lon, cat: severityRankOf(a.severity) });
    }
    this.#alerts.setPoints(points);
    const counts = countByZone(alerts);
    this.#zones.setCounts(counts);
    this.#warnings.setCounts(counts);
    this.#reportCounts();
    this.#declutter();
  }

  /** Rings the selected alert's point (none: null): moving through the queue redraws only that layer. */
  select(id: string | null): void {
    this.#alerts.select(id);
  }

  /** The zones changed (a warning came or went, an import): drawn again. */
  setZones(zones: readonly Zone[]): void {
    this.#zones.setZones(zones.filter((z) => !isWarning(z)));
    this.#warnings.setZones(zones.filter(isWarning));
    this.#declutter();
  }

  setVehicles(vehicles: ReadonlyMap<string, SeenVehicle>): void {
    const points: ClusterPoint[] = [];
    for (const v of vehicles.values()) points.push({ id: v.id, lat: v.lat, lon: v.lon, cat: 0 });
    this.#vehicles.setPoints(points);
    this.#reportCounts();
  }

  /** Recent located events: one layer per kind, and the heatmap of all of them. */
  setEvents(events: readonly SampledEvent[]): void {
    const byLayer: Record<EventLayer, ClusterPoint[]> = { incidents: [], lighting: [], citizen: [], health: [] };
    for (const e of events) {
      const layer = eventLayerOf(e.type);
      if (layer) byLayer[layer].push({ id: `${e.source}/${e.id}`, lat: e.lat, lon: e.lon, cat: 0 });
    }
    for (const k of EVENT_LAYERS) this.#events[k].setPoints(byLayer[k]);
    this.#heat.setPoints(events.map((e) => ({ lat: e.lat, lon: e.lon, weight: heatWeight(e) })));
    this.#reportCounts();
  }

  /** Draw the evidence of `alert` (none when null), replacing the previous one; times on the clock of `timeZone`. */
  showEvidence(alert: Alert | null, lang: Lang, timeZone: string): void {
    this.#evidence?.remove();
    this.#evidence = alert ? createEvidenceLayer(this.#L, alert, lang, timeZone).addTo(this.#map) : null;
  }

  /**
   * Frame the alert and its evidence, clear of `rightInset` pixels covered on the right.
   * The first alert framed remembers the view it left, for `unfocus`.
   */
  focus(alert: Alert, rightInset: number): void {
    const points = focusPoints(alert);
    if (points.length === 0) return;
    this.#returnTo ??= { center: this.#map.getCenter(), zoom: this.#map.getZoom() };
    this.#moving = true;
    this.#map.fitBounds(this.#L.latLngBounds(points.map(([lat, lon]) => [lat, lon])), {
      paddingTopLeft: [FOCUS_MARGIN, FOCUS_MARGIN],
      paddingBottomRight: [rightInset + FOCUS_MARGIN, FOCUS_MARGIN],
      maxZoom: FOCUS_MAX_ZOOM,
    });
  }

  /**
   * The alert detail closed: back to the view the operator had before opening it (the city,
   * usually), unless they moved the map since or framed something else themselves.
   */
  unfocus(): void {
    const back = this.#returnTo;
    this.#returnTo = null;
    if (!back) return;
    this.#moving = true;
    this.#map.setView(back.center, back.zoom);
  }

  /** Frame the whole city (its zones' bounds; the configured view without zones), clear of `rightInset` pixels on the right. */
  frameCity(rightInset: number): void {
    this.#returnTo = null;
    this.#moving = true;
    const bounds = this.#zones.bounds();
    if (!bounds) return void this.#map.setView(this.#config.city.center, this.#config.city.zoom);
    this.#map.fitBounds(bounds, { paddingTopLeft: [CITY_MARGIN, CITY_MARGIN], paddingBottomRight: [rightInset + CITY_MARGIN, CITY_MARGIN] });
  }

  /** Frame a warning's areas (as `activeWarnings` lists their ids), clear of `rightInset` pixels on the right. */
  focusZones(ids: readonly string[], rightInset: number): void {
    const bounds = this.#warnings.boundsOf(ids) ?? this.#zones.boundsOf(ids);
    if (!bounds) return;
    this.#returnTo = null;
    this.#moving = true;
    this.#map.fitBounds(bounds, {
      paddingTopLeft: [FOCUS_MARGIN, FOCUS_MARGIN],
      paddingBottomRight: [rightInset + FOCUS_MARGIN, FOCUS_MARGIN],
      maxZoom: FOCUS_MAX_ZOOM,
    });
  }

  /** The map's view (browser tests read it). */
  view(): { lat: number; lon: number; zoom: number; south: number; west: number; north: number; east: number } {
    const c = this.#map.getCenter(), b = this.#map.getBounds();
    return { lat: c.lat, lon: c.lng, zoom: this.#map.getZoom(), south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() };
  }

  /** Where an alert is drawn on its own on screen (undefined inside a cluster or hidden). */
  alertPoint(id: string): { x: number; y: number } | undefined {
    return this.#alerts.drawnPoint(id);
  }

  /** Draw every canvas layer now (benchmarks measure a full redraw). */
  drawAll(): void {
    for (const l of [this.#heat, this.#vehicles, this.#alerts, ...Object.values(this.#events)]) l.drawNow();
  }

  /** Leaflet measures its container: tell it when the layout changed. */
  resize(): void {
    // A new size re-centres the map: not the operator moving it.
    const moving = this.#moving;
    this.#moving = true;
    this.#map.invalidateSize();
    this.#moving = moving;
    if (this.#narrow() !== this.#controlCollapsed) this.setLanguage(this.#lang);
  }

  #narrow(): boolean {
    return this.#map.getSize().x < 1200;
  }

  /** The "whole city" button, under the zoom buttons. */
  #cityControl(label: string): Leaflet.Control {
    const L = this.#L;
    const control = new L.Control({ position: 'topleft' });
    control.onAdd = () => {
      const bar = L.DomUtil.create('div', 'leaflet-bar leaflet-control vigie-city-control');
      const link = L.DomUtil.create('a', 'vigie-city', bar);
      link.href = '#';
      link.title = label;
      link.setAttribute('role', 'button');
      link.setAttribute('aria-label', label);
      link.setAttribute('aria-keyshortcuts', 'V');
      link.dataset.testid = 'map-city';
      // Four corners: frame everything.
      link.innerHTML = '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4"/><circle cx="8" cy="8" r="1.6" fill="currentColor" stroke="none"/></svg>';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(link, 'click', (e) => {
        L.DomEvent.preventDefault(e);
        this.frameCity(this.#rightInset());
      });
      return bar;
    };
    return control;
  }

  /** Labels covered by more important ones are hidden, at the next frame (see label-declutter.ts). */
  #declutter(): void {
    if (this.#declutterFrame) return;
    this.#declutterFrame = requestAnimationFrame(() => {
      this.#declutterFrame = 0;
      declutterLabels(this.#container);
    });
  }

  destroy(): void {
    cancelAnimationFrame(this.#declutterFrame);
    this.#cityButton?.remove();
    this.#control?.remove();
    this.#evidence?.remove();
    this.#map.off();
    this.#map.remove();
  }

  #reportCounts(): void {
    const shown = (l: ClusterLayer) => (l.visible ? l.size : 0);
    this.#onCounts({
      alerts: shown(this.#alerts),
      vehicles: shown(this.#vehicles),
      events: EVENT_LAYERS.reduce((n, k) => n + shown(this.#events[k]), 0),
    });
  }
}
