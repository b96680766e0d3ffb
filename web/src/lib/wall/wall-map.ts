import type { Alert, WallBootstrap, WallWarning } from '@vigie/rules';
import { SEVERITY_COLORS, severityRankOf } from '../alerts/severity.ts';
import { declutterLabels, type LabelKind } from '../map/label-declutter.ts';
import type { Leaflet, LeafletModule } from '../map/leaflet.ts';
import type { ResolvedView } from './view-cycle.ts';

/** Line colours of the transport view, in turn. */
const LINE_COLORS = ['#5cb8ff', '#3ddc84', '#f2c230', '#ff8a1f', '#c77dff', '#ff5fa2'];
const MARGIN = 40;
/**
 * The wall's labels: a line's name first (the banner above the map names every warning), then
 * a warning's; either is hidden rather than cut by the map's edge.
 */
const WALL_LABELS: LabelKind[] = [['.wall-line-label span', 2, true], ['.leaflet-tooltip.wall-warning-label', 1, true]];

/** Marker radius on a wall: large enough to be seen from across the room. */
export const wallMarkerRadius = (a: Alert): number => 10 + 4 * severityRankOf(a.severity);

/**
 * The wall's Leaflet map: zones, alerts, and per view the transport lines, a district or an
 * event's perimeter. Non-interactive. Alert markers are kept by id and updated in place, so
 * a long run does not pile up layers; `destroy` removes everything it added.
 */
export class WallMap {
  readonly #L: LeafletModule;
  readonly #map: Leaflet.Map;
  readonly #boot: WallBootstrap;
  readonly #alerts: Leaflet.LayerGroup;
  readonly #markers = new Map<string, Leaflet.CircleMarker>();
  readonly #lines: Leaflet.LayerGroup;
  #focus: Leaflet.Layer | null = null;
  /** The warnings' areas in force (CAP), redrawn when they change. */
  readonly #warnings: Leaflet.GeoJSON;
  #warningKey = '';
  readonly #container: HTMLElement;
  #declutterFrame = 0;

  constructor(L: LeafletModule, container: HTMLElement, boot: WallBootstrap) {
    this.#L = L;
    this.#boot = boot;
    this.#container = container;
    this.#map = L.map(container, {
      preferCanvas: true, center: boot.city.center, zoom: boot.city.zoom, zoomControl: false, attributionControl: Boolean(boot.tileUrl),
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.25,
    });
    if (boot.tileUrl) L.tileLayer(boot.tileUrl, { attribution: boot.tileAttribution, maxZoom: 19 }).addTo(this.#map);
    L.geoJSON(
      { type: 'FeatureCollection', features: boot.zones.map((z) => ({ type: 'Feature', properties: {}, geometry: z.geometry })) } as GeoJSON.FeatureCollection,
      { style: () => ({ color: '#4d6a8a', weight: 1, opacity: 0.7, fillColor: '#3b5878', fillOpacity: 0.08 }), interactive: false },
    ).addTo(this.#map);
    this.#lines = L.layerGroup();
    boot.lines.forEach((line, i) => {
      const color = LINE_COLORS[i % LINE_COLORS.length]!;
      L.polyline(line.path, { color, weight: 7, opacity: 0.9, interactive: false }).addTo(this.#lines);
      const end = line.path[line.path.length - 1]!;
      L.marker(end, { interactive: false, icon: L.divIcon({ className: 'wall-line-label', html: `<span style="background:${color}">${escapeHtml(line.name)}</span>`, iconSize: undefined }) }).addTo(this.#lines);
    });
    this.#warnings = L.geoJSON(undefined, {
      style: () => ({ color: '#ffb020', weight: 4, dashArray: '14 10', fillColor: '#ffb020', fillOpacity: 0.12 }),
      interactive: false,
      onEachFeature: (feature, layer) => layer.bindTooltip(`⚠ ${escapeHtml(String(feature.properties?.name ?? ''))}`, { permanent: true, direction: 'center', className: 'wall-warning-label' }),
    }).addTo(this.#map);
    this.#alerts = L.layerGroup().addTo(this.#map);
    this.#map.on('zoomend moveend resize', () => this.#declutter());
  }

  /** Labels covered by more important ones, or cut by the edge, are hidden at the next frame (see label-declutter.ts). */
  #declutter(): void {
    if (this.#declutterFrame) return;
    this.#declutterFrame = requestAnimationFrame(() => {
      this.#declutterFrame = 0;
      declutterLabels(this.#container, WALL_LABELS);
    });
  }

  /** Draws the warnings in force (only when they changed: the state is polled). */
  setWarnings(warnings: readonly WallWarning[]): void {
    const key = warnings.map((w) => w.id).join('\n');
    if (key === this.#warningKey) return;
    this.#warningKey = key;
    this.#warnings.clearLayers();
    this.#warnings.addData({ type: 'FeatureCollection', features: warnings.map((w) => ({ type: 'Feature', id: w.id, properties: { name: w.name }, geometry: w.geometry })) } as GeoJSON.FeatureCollection);
    this.#declutter();
  }

  get markerCount(): number {
    return this.#markers.size;
  }

  setAlerts(alerts: Iterable<Alert>): void {
    const seen = new Set<string>();
    const located = [...alerts].filter((a) => a.location).sort((a, b) => severityRankOf(a.severity) - severityRankOf(b.severity));
    for (const a of located) {
      seen.add(a.id);
      const style: Leaflet.CircleMarkerOptions = {
        radius: wallMarkerRadius(a), color: '#0b0f14', weight: 2, fillColor: SEVERITY_COLORS[a.severity], fillOpacity: a.status === 'acknowledged' ? 0.55 : 0.95, interactive: false,
      };
      const known = this.#markers.get(a.id);
      if (known) known.setLatLng([a.location!.lat, a.location!.lon]).setStyle(style);
      else this.#markers.set(a.id, this.#L.circleMarker([a.location!.lat, a.location!.lon], style).addTo(this.#alerts));
    }
    for (const [id, marker] of this.#markers) {
      if (seen.has(id)) continue;
      this.#alerts.removeLayer(marker);
      this.#markers.delete(id);
    }
  }

  /** Frames the view: the city, a district, an event's perimeter, or the transport network. */
  show(view: ResolvedView): void {
    const L = this.#L;
    this.#focus?.remove();
    this.#focus = null;
    this.#lines.remove();
    const fit = (bounds: Leaflet.LatLngBounds, maxZoom: number) => this.#map.fitBounds(bounds, { padding: [MARGIN, MARGIN], maxZoom, animate: false });
    switch (view.kind) {
      case 'city':
        this.#map.setView(this.#boot.city.center, this.#boot.city.zoom, { animate: false });
        break;
      case 'district': {
        const layer = L.geoJSON(view.zone.geometry as GeoJSON.Geometry, { style: () => ({ color: '#ffd166', weight: 4, fillOpacity: 0.06 }), interactive: false });
        this.#focus = layer.addTo(this.#map);
        fit(layer.getBounds(), 15);
        break;
      }
      case 'event': {
        const layer = L.geoJSON(view.event.perimeter as GeoJSON.Geometry, { style: () => ({ color: '#ffd166', weight: 5, dashArray: '12 8', fillColor: '#ffd166', fillOpacity: 0.1 }), interactive: false });
        this.#focus = layer.addTo(this.#map);
        this.#lines.addTo(this.#map);
        fit(layer.getBounds().pad(0.6), 16);
        break;
      }
      case 'transport': {
        this.#lines.addTo(this.#map);
        const points = this.#boot.lines.flatMap((l) => l.path);
        if (points.length) fit(L.latLngBounds(points), 14);
        break;
      }
    }
    this.#declutter();
  }

  resize(): void {
    this.#map.invalidateSize();
  }

  destroy(): void {
    cancelAnimationFrame(this.#declutterFrame);
    this.#markers.clear();
    this.#map.off();
    this.#map.remove();
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
