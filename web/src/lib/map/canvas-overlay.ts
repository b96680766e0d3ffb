import type { Leaflet, LeafletModule } from './leaflet.ts';

/**
 * A Leaflet layer that draws on one canvas the size of the map, redrawn (at most once a
 * frame) after the map moves or the data changes. Subclasses draw; `onRemove` undoes
 * exactly what `onAdd` did.
 */
export abstract class CanvasOverlay {
  readonly layer: Leaflet.Layer;
  protected map: Leaflet.Map | null = null;
  protected readonly canvas: HTMLCanvasElement;
  protected readonly L: LeafletModule;
  #frame = 0;
  #ratio = 1;

  /** Whether `draw` reads its pixels back (a heatmap colouring them): the canvas is then kept where reading is cheap. */
  readonly #readsBack: boolean;
  /** The map pane the canvas goes in (made by the caller with `map.createPane`); the overlay pane without one. */
  readonly #pane: string | undefined;

  constructor(L: LeafletModule, className: string, options: { readsBack?: boolean; pane?: string } = {}) {
    this.L = L;
    this.#readsBack = options.readsBack === true;
    this.#pane = options.pane;
    this.canvas = document.createElement('canvas');
    this.canvas.className = `leaflet-zoom-hide vigie-canvas ${className}`;
    this.canvas.style.pointerEvents = 'none';
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const Layer = L.Layer.extend({
      onAdd(map: Leaflet.Map) {
        self.#attach(map);
        return this;
      },
      onRemove() {
        self.#detach();
        return this;
      },
    });
    this.layer = new Layer() as Leaflet.Layer;
  }

  get visible(): boolean {
    return this.map !== null;
  }

  /** Redraw at the next animation frame (several calls in one frame draw once). */
  requestDraw(): void {
    if (!this.map || this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.drawNow();
    });
  }

  /**
   * Draw at once (tests and benchmarks measure this). A layer with nothing to draw hides its
   * canvas instead: the browser then has no map-sized surface to compose for it while the map
   * moves (most layers are empty most of the time: no vehicle feed, a quiet night).
   */
  drawNow(): void {
    if (!this.map) return;
    const empty = this.isEmpty();
    this.canvas.style.display = empty ? 'none' : '';
    if (empty) return this.cleared();
    const ctx = this.canvas.getContext('2d', { willReadFrequently: this.#readsBack });
    if (!ctx) return;
    const size = this.map.getSize();
    // The whole backing store, whatever the pixel ratio (a ratio of 1.25 leaves a last row out of a scaled clear).
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(this.#ratio, 0, 0, this.#ratio, 0, 0);
    this.draw(ctx, size.x, size.y);
  }

  protected abstract draw(ctx: CanvasRenderingContext2D, width: number, height: number): void;

  /** Whether there is nothing to draw (the canvas is then hidden, not drawn). */
  protected abstract isEmpty(): boolean;

  /** Called instead of `draw` when there is nothing to draw: what was drawn last is gone (hit targets, say). */
  protected cleared(): void {}

  /** Called once added, with the map (to listen to clicks, for instance). */
  protected added(_map: Leaflet.Map): void {}
  protected removed(_map: Leaflet.Map): void {}

  /**
   * After the map moved or changed size: the canvas back over the map's view, and drawn again.
   * Its pixels are allocated anew only when the size changed (setting a canvas's width, even
   * to the same value, drops and remakes its whole backing store: once per pan, per layer).
   */
  readonly #reset = (): void => {
    const map = this.map;
    if (!map) return;
    const size = map.getSize();
    this.#ratio = globalThis.devicePixelRatio || 1;
    const width = Math.round(size.x * this.#ratio), height = Math.round(size.y * this.#ratio);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    // Always: a browser zoom changes the size on screen and the pixel ratio together, the pixels not.
    this.canvas.style.width = `${size.x}px`;
    this.canvas.style.height = `${size.y}px`;
    this.L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
    this.drawNow();
  };

  #attach(map: Leaflet.Map): void {
    this.map = map;
    ((this.#pane && map.getPane(this.#pane)) || map.getPanes().overlayPane).appendChild(this.canvas);
    map.on('moveend zoomend resize viewreset', this.#reset);
    this.added(map);
    this.#reset();
  }

  #detach(): void {
    const map = this.map;
    if (!map) return;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    map.off('moveend zoomend resize viewreset', this.#reset);
    this.removed(map);
    this.canvas.remove();
    this.map = null;
  }
}
