import Supercluster, { type ClusterProperties } from 'supercluster';
import { CanvasOverlay } from './canvas-overlay.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';

/** One thing to draw: `cat` indexes the layer's colours (a severity rank, a kind of event). */
export type ClusterPoint = { id: string; lat: number; lon: number; cat: number };

export type ClusterLayerOptions = {
  colors: readonly string[];
  /** Radius in pixels of a single point of category `cat`. */
  pointRadius(cat: number): number;
  /** Click on a single point; clusters zoom in. */
  onSelect?(id: string): void;
  /** Cluster radius in pixels. */
  clusterRadius?: number;
  /**
   * Rebuild the index at most this often (ms): fast-moving layers (vehicles) skip the
   * intermediate positions; 0 rebuilds on every change (alerts).
   */
  rebuildMs?: number;
  /** What a pixel of the drawing is worth (a wall 4K screen: 2): clusters, rings, strokes and counts grow with it. */
  scale?: number;
  /** The map pane to draw in (see `CanvasOverlay`). */
  pane?: string;
};

type Props = { id: string; cat: number };
type Mix = { counts: number[] };
/** What the index gives to draw: a cluster, or a single point with its `cat`. */
type Feature = { properties: Partial<ClusterProperties> & Partial<Props> | object };

/**
 * The order to draw in: clusters first, then single points by category, lowest first, each in
 * its given order; so that where points overlap, the highest (the most severe alert) is on top.
 * One pass, no sort (the vehicles' layer draws thousands).
 */
export function inDrawingOrder<F extends Feature>(features: readonly F[], categories: number): F[] {
  const clusters: F[] = [], byCat = Array.from({ length: categories }, (): F[] => []);
  for (const f of features) {
    const p = f.properties as Partial<ClusterProperties> & Partial<Props>;
    (p.cluster ? clusters : byCat[p.cat!] ?? clusters).push(f);
  }
  return clusters.concat(...byCat);
}

type Drawn = { x: number; y: number; r: number; id?: string; clusterId?: number };

/**
 * Points clustered in the viewport (supercluster) and drawn on canvas. A cluster is a ring
 * split by category (the severity mix of the alerts it holds), with its count in the middle.
 */
export class ClusterLayer extends CanvasOverlay {
  #index: Supercluster<Props, Mix>;
  #size = 0;
  /** How many points the index holds (`#size` counts those given, maybe not indexed yet). */
  #indexed = 0;
  #selectedId: string | null = null;
  #drawn: Drawn[] = [];
  #pending: readonly ClusterPoint[] | null = null;
  #builtAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #opts: ClusterLayerOptions;

  constructor(L: LeafletModule, className: string, opts: ClusterLayerOptions) {
    super(L, className, { pane: opts.pane });
    this.#opts = opts;
    this.#index = this.#newIndex();
    this.#index.load([]); // an index answers only once loaded
  }

  get size(): number {
    return this.#size;
  }

  /** What was drawn last time: single points and clusters on screen. */
  get drawnCount(): number {
    return this.#drawn.length;
  }

  #newIndex(): Supercluster<Props, Mix> {
    const n = this.#opts.colors.length;
    return new Supercluster<Props, Mix>({
      radius: this.#opts.clusterRadius ?? 48,
      maxZoom: 16,
      map: (p) => {
        const counts = new Array<number>(n).fill(0);
        counts[p.cat] = 1;
        return { counts };
      },
      reduce: (acc, p) => {
        for (let i = 0; i < n; i++) acc.counts[i]! += p.counts[i]!;
      },
    });
  }

  setPoints(points: readonly ClusterPoint[]): void {
    this.#size = points.length;
    this.#pending = points;
    const wait = this.#builtAt + (this.#opts.rebuildMs ?? 0) - performance.now();
    if (wait <= 0) return this.#build();
    this.#timer ??= setTimeout(() => this.#build(), wait);
  }

  #build(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const points = this.#pending;
    if (!points) return;
    this.#pending = null;
    this.#builtAt = performance.now();
    this.#index = this.#newIndex();
    this.#indexed = points.length;
    this.#index.load(points.map((p) => ({ type: 'Feature', properties: { id: p.id, cat: p.cat }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })));
    this.requestDraw();
  }

  /** Ring the point `id` (none: null) without rebuilding the index. */
  select(id: string | null): void {
    if (id === this.#selectedId) return;
    this.#selectedId = id;
    this.requestDraw();
  }

  protected override isEmpty(): boolean {
    return this.#indexed === 0;
  }

  /** Nothing drawn: nothing to click (a point of before would open an alert no longer shown). */
  protected override cleared(): void {
    this.#drawn = [];
  }

  protected override draw(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const map = this.map!;
    const bounds = map.getBounds().pad(0.1);
    const zoom = Math.round(map.getZoom());
    const { colors } = this.#opts;
    const features = inDrawingOrder(this.#index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], zoom), colors.length);
    const drawn: Drawn[] = [];
    let selected: Drawn | null = null;
    const k = this.#opts.scale ?? 1, margin = 60 * k;
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const { x, y } = map.latLngToContainerPoint([lat, lon]);
      if (x < -margin || y < -margin || x > width + margin || y > height + margin) continue;
      const props = f.properties as Partial<ClusterProperties> & Partial<Props> & Partial<Mix>;
      if (props.cluster) {
        const count = props.point_count!;
        const r = Math.min(30, 13 + Math.log2(count) * 2.6) * k;
        this.#ring(ctx, x, y, r, props.counts!, colors, k);
        ctx.fillStyle = '#e8eef5';
        ctx.font = `700 ${(r > 18 * k ? 13 : 12) * k}px system-ui, sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(String(props.point_count_abbreviated), x, y + 0.5 * k);
        drawn.push({ x, y, r, clusterId: props.cluster_id! });
      } else {
        const r = this.#opts.pointRadius(props.cat!);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fillStyle = colors[props.cat!]!;
        ctx.fill();
        ctx.lineWidth = 1.5 * k;
        ctx.strokeStyle = '#0b0f14';
        ctx.stroke();
        const d = { x, y, r, id: props.id! };
        drawn.push(d);
        if (props.id === this.#selectedId) selected = d;
      }
    }
    if (selected) {
      ctx.beginPath();
      ctx.arc(selected.x, selected.y, selected.r + 3 * k, 0, Math.PI * 2);
      ctx.lineWidth = 3 * k;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
    this.#drawn = drawn;
  }

  /** A dark disc with a ring split by category, each arc as long as its share. */
  #ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, counts: readonly number[], colors: readonly string[], k: number): void {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(11, 15, 20, 0.88)';
    ctx.fill();
    let start = -Math.PI / 2;
    ctx.lineWidth = 5 * k;
    // most severe (highest category) first, from the top
    for (let i = counts.length - 1; i >= 0; i--) {
      const n = counts[i]!;
      if (!n) continue;
      const end = start + (n / total) * Math.PI * 2;
      ctx.beginPath();
      ctx.arc(x, y, r - 2.5 * k, start, end);
      ctx.strokeStyle = colors[i]!;
      ctx.stroke();
      start = end;
    }
  }

  readonly #onClick = (e: Leaflet.LeafletMouseEvent): void => {
    const hit = this.hitTest(e.containerPoint.x, e.containerPoint.y);
    if (!hit || !this.map) return;
    if (hit.id !== undefined) return this.#opts.onSelect?.(hit.id);
    const zoom = Math.min(this.#index.getClusterExpansionZoom(hit.clusterId!), 18);
    this.map.setView(e.latlng, zoom);
  };

  /** The point or cluster drawn under a screen point, the top-most first. */
  hitTest(x: number, y: number): Drawn | undefined {
    for (let i = this.#drawn.length - 1; i >= 0; i--) {
      const d = this.#drawn[i]!;
      if ((d.x - x) ** 2 + (d.y - y) ** 2 <= (d.r + 3) ** 2) return d;
    }
    return undefined;
  }

  /** The screen position of a single point when it is drawn alone (tests click there). */
  drawnPoint(id: string): { x: number; y: number } | undefined {
    const d = this.#drawn.find((x) => x.id === id);
    return d && { x: d.x, y: d.y };
  }

  protected override added(map: Leaflet.Map): void {
    if (this.#opts.onSelect) map.on('click', this.#onClick);
  }

  protected override removed(map: Leaflet.Map): void {
    map.off('click', this.#onClick);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending) this.#build(); // keep the data; it is drawn when the layer comes back
  }
}
