import { SEVERITIES, type Alert, type WallBootstrap, type WallWarning } from '@vigie/rules';
import { SEVERITY_COLORS, severityRankOf } from '../alerts/severity.ts';
import { ClusterLayer, type ClusterPoint } from '../map/cluster-layer.ts';
import { declutterLabels, type LabelKind } from '../map/label-declutter.ts';
import type { Leaflet, LeafletModule } from '../map/leaflet.ts';
import type { ResolvedView } from './view-cycle.ts';

/** Line colours of the transport view, in turn. */
const LINE_COLORS = ['#5cb8ff', '#3ddc84', '#f2c230', '#ff8a1f', '#c77dff', '#ff5fa2'];
/** Room left around what a view frames, in pixels of a 1920×1080 wall (scaled with the wall). */
const MARGIN = 40;
/** The root font size of a 1920×1080 wall (Wall.svelte): the wall's unit at scale 1. */
export const WALL_BASE_FONT_PX = 17;
/**
 * The wall's labels: a line's name first (the banner above the map names every warning), then
 * a warning's; either is hidden rather than cut by the map's edge.
 */
const WALL_LABELS: LabelKind[] = [['.wall-line-label span', 2, true], ['.leaflet-tooltip.wall-warning-label', 1, true]];

/** Marker radius on a 1920×1080 wall: large enough to be seen from across the room (times the wall's scale elsewhere). */
export const wallMarkerRadius = (a: Pick<Alert, 'severity'>): number => 10 + 4 * severityRankOf(a.severity);

/** The severities by rank, least severe first (a category's severity is `BY_RANK[cat >> 1]`). */
const BY_RANK = [...SEVERITIES].sort((a, b) => severityRankOf(a) - severityRankOf(b));
/**
 * An alert's category on the wall's map: its severity, and whether it is acknowledged (drawn
 * paler: someone is on it). Higher is more pressing: drawn on top, and first in a cluster's ring.
 */
export const wallAlertCategory = (a: Pick<Alert, 'severity' | 'status'>): number => 2 * severityRankOf(a.severity) + (a.status === 'acknowledged' ? 0 : 1);
/** The colours of the categories: an acknowledged alert's severity colour at 55%. */
export const WALL_ALERT_COLORS: readonly string[] = BY_RANK.flatMap((s) => [`${SEVERITY_COLORS[s]}8c`, SEVERITY_COLORS[s]]);
/**
 * Alerts closer than this on screen (px of a 1920×1080 wall) are drawn as one cluster with
 * their count: about the diameter of a marker. (Supercluster measures on 512-pixel tiles,
 * twice the screen's 256: it is given twice this.)
 */
const CLUSTER_RADIUS = 44;
const ALERTS_PANE = 'wall-alerts';
/** The console's clusters drawn this much larger on a 1920×1080 wall (times the wall's scale elsewhere): read from across the room, as the markers are. */
const CLUSTER_LOOK = 1.6;

/**
 * The wall's scale, from its root font size (Wall.svelte sizes everything in rem, 17 px at
 * 1920×1080, twice that at 3840×2160): the map's markers, strokes and margins follow it, as
 * the text does. 1 when the size cannot be read.
 */
export function wallScale(rootFontPx: number): number {
  return Number.isFinite(rootFontPx) && rootFontPx > 0 ? Math.round((rootFontPx / WALL_BASE_FONT_PX) * 100) / 100 : 1;
}

/** The bounds of every zone (south-west, north-east as [lat, lon]), or null without zones: what the city view frames. */
export function zonesBounds(zones: readonly { geometry: { type: string; coordinates: unknown } }[]): [[number, number], [number, number]] | null {
  let south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [lon, lat] = c as [number, number];
      south = Math.min(south, lat); north = Math.max(north, lat);
      west = Math.min(west, lon); east = Math.max(east, lon);
      return;
    }
    for (const inner of c) visit(inner);
  };
  for (const z of zones) visit(z.geometry.coordinates);
  return south <= north && west <= east ? [[south, west], [north, east]] : null;
}

/**
 * The wall's Leaflet map: zones, alerts, and per view the transport lines, a district or an
 * event's perimeter. Non-interactive. Alerts are drawn on one canvas, those close together as
 * a cluster with their count and severity mix (a surge around a stadium reads as a number, not
 * a heap of discs); `destroy` removes everything it added. Markers, strokes
 * and margins follow the wall's scale (`wallScale`); when the map's size changes (a screen of
 * another size, the warnings' banner) the view is framed again, so that it always shows whole.
 */
export class WallMap {
  readonly #L: LeafletModule;
  readonly #map: Leaflet.Map;
  readonly #boot: WallBootstrap;
  /** The alerts, clustered (made again when the wall's scale changes), and the points it was given. */
  #alerts: ClusterLayer;
  #points: ClusterPoint[] = [];
  readonly #lines: Leaflet.LayerGroup;
  readonly #linePaths: { line: Leaflet.Polyline; color: string }[] = [];
  readonly #zones: Leaflet.GeoJSON;
  readonly #cityBounds: Leaflet.LatLngBounds | null;
  #view: ResolvedView | null = null;
  #scale: number;
  readonly #resizeObserver: ResizeObserver | null;
  #size = '';
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
    this.#scale = this.#readScale();
    const bounds = zonesBounds(boot.zones);
    this.#cityBounds = bounds ? L.latLngBounds(bounds) : null;
    this.#map = L.map(container, {
      preferCanvas: true, center: boot.city.center, zoom: boot.city.zoom, zoomControl: false, attributionControl: Boolean(boot.tileUrl),
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.25,
      // The map's size is watched below (a banner coming or going changes it, not only the window).
      trackResize: false,
    });
    if (boot.tileUrl) L.tileLayer(boot.tileUrl, { attribution: boot.tileAttribution, maxZoom: 19 }).addTo(this.#map);
    this.#zones = L.geoJSON(
      { type: 'FeatureCollection', features: boot.zones.map((z) => ({ type: 'Feature', properties: {}, geometry: z.geometry })) } as GeoJSON.FeatureCollection,
      { style: () => ({ color: '#4d6a8a', weight: this.#px(1), opacity: 0.7, fillColor: '#3b5878', fillOpacity: 0.08 }), interactive: false },
    ).addTo(this.#map);
    this.#lines = L.layerGroup();
    boot.lines.forEach((line, i) => {
      const color = LINE_COLORS[i % LINE_COLORS.length]!;
      this.#linePaths.push({ line: L.polyline(line.path, { ...this.#lineStyle(color), interactive: false }).addTo(this.#lines), color });
      const end = line.path[line.path.length - 1]!;
      L.marker(end, { interactive: false, icon: L.divIcon({ className: 'wall-line-label', html: `<span style="background:${color}">${escapeHtml(line.name)}</span>`, iconSize: undefined }) }).addTo(this.#lines);
    });
    this.#warnings = L.geoJSON(undefined, {
      style: () => ({ color: '#ffb020', weight: this.#px(4), dashArray: this.#dash(14, 10), fillColor: '#ffb020', fillOpacity: 0.12 }),
      interactive: false,
      onEachFeature: (feature, layer) => layer.bindTooltip(`⚠ ${escapeHtml(String(feature.properties?.name ?? ''))}`, { permanent: true, direction: 'center', className: 'wall-warning-label' }),
    }).addTo(this.#map);
    // Over the shapes' canvas (the overlay pane, 400) whenever Leaflet makes it, under the labels.
    this.#map.createPane(ALERTS_PANE).style.zIndex = '450';
    this.#alerts = this.#alertLayer();
    this.#map.on('zoomend moveend resize', () => this.#declutter());
    this.#size = `${container.clientWidth}x${container.clientHeight}`;
    this.#resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.resize());
    this.#resizeObserver?.observe(container);
    this.#publish();
  }

  /** The wall's scale now (its root font size: see Wall.svelte). */
  #readScale(): number {
    return wallScale(parseFloat(getComputedStyle(this.#container.ownerDocument.documentElement).fontSize));
  }

  /** `n` pixels of a 1920×1080 wall on this one. */
  #px(n: number): number {
    return Math.round(n * this.#scale * 10) / 10;
  }

  #dash(on: number, off: number): string {
    return `${this.#px(on)} ${this.#px(off)}`;
  }

  #lineStyle(color: string): Leaflet.PolylineOptions {
    return { color, weight: this.#px(7), opacity: 0.9 };
  }

  /** The alerts' layer at the wall's scale, on the map (in a pane of their own, over the zones, lines, perimeter and warnings). */
  #alertLayer(): ClusterLayer {
    const layer = new ClusterLayer(this.#L, 'wall-alerts', {
      colors: WALL_ALERT_COLORS,
      pointRadius: (cat) => this.#px(wallMarkerRadius({ severity: BY_RANK[cat >> 1]! })),
      clusterRadius: this.#px(2 * CLUSTER_RADIUS),
      pane: ALERTS_PANE,
      scale: CLUSTER_LOOK * this.#scale,
    });
    layer.layer.addTo(this.#map);
    return layer;
  }

  /** What the map shows, on its element: browser tests read it (bounds as south,west,north,east). */
  #publish(): void {
    const b = this.#map.getBounds();
    this.#container.dataset['bounds'] = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((v) => v.toFixed(5)).join(',');
    this.#container.dataset['zoom'] = String(this.#map.getZoom());
    this.#container.dataset['scale'] = String(this.#scale);
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

  /** How many alerts are on the map (those with a location), clustered or not. */
  get markerCount(): number {
    return this.#points.length;
  }

  /** How many discs the last drawing showed, a cluster counting one (browser tests read it). */
  get drawnCount(): number {
    return this.#alerts.drawnCount;
  }

  setAlerts(alerts: Iterable<Alert>): void {
    const points: ClusterPoint[] = [];
    for (const a of alerts) if (a.location) points.push({ id: a.id, lat: a.location.lat, lon: a.location.lon, cat: wallAlertCategory(a) });
    this.#points = points;
    this.#alerts.setPoints(points);
  }

  /** Frames the view: the city, a district, an event's perimeter, or the transport network. */
  show(view: ResolvedView): void {
    const L = this.#L;
    this.#view = view;
    this.#focus?.remove();
    this.#focus = null;
    this.#lines.remove();
    const margin = this.#px(MARGIN);
    const fit = (bounds: Leaflet.LatLngBounds, maxZoom: number) => this.#map.fitBounds(bounds, { padding: [margin, margin], maxZoom, animate: false });
    switch (view.kind) {
      case 'city':
        // The whole city, its zones' bounds, whatever the screen's size (the configured view without zones).
        if (this.#cityBounds) fit(this.#cityBounds, 16);
        else this.#map.setView(this.#boot.city.center, this.#boot.city.zoom, { animate: false });
        break;
      case 'district': {
        const layer = L.geoJSON(view.zone.geometry as GeoJSON.Geometry, { style: () => ({ color: '#ffd166', weight: this.#px(4), fillOpacity: 0.06 }), interactive: false });
        this.#focus = layer.addTo(this.#map);
        fit(layer.getBounds(), 15);
        break;
      }
      case 'event': {
        const layer = L.geoJSON(view.event.perimeter as GeoJSON.Geometry, { style: () => ({ color: '#ffd166', weight: this.#px(5), dashArray: this.#dash(12, 8), fillColor: '#ffd166', fillOpacity: 0.1 }), interactive: false });
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
    this.#publish();
    this.#declutter();
  }

  /**
   * The map's element changed size (the window, a banner): the map takes its new size, the
   * strokes and markers the wall's scale, and the view is framed again.
   */
  resize(): void {
    const size = `${this.#container.clientWidth}x${this.#container.clientHeight}`;
    const scale = this.#readScale();
    if (size === this.#size && scale === this.#scale) return;
    this.#size = size;
    this.#map.invalidateSize({ pan: false });
    if (scale !== this.#scale) {
      this.#scale = scale;
      this.#zones.resetStyle();
      this.#warnings.resetStyle();
      for (const { line, color } of this.#linePaths) line.setStyle(this.#lineStyle(color));
      this.#alerts.layer.remove();
      this.#alerts = this.#alertLayer();
      this.#alerts.setPoints(this.#points);
    }
    if (this.#view) this.show(this.#view);
    else this.#publish();
  }

  destroy(): void {
    cancelAnimationFrame(this.#declutterFrame);
    this.#resizeObserver?.disconnect();
    this.#alerts.layer.remove();
    this.#map.off();
    this.#map.remove();
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
