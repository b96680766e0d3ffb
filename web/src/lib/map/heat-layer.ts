import { CanvasOverlay } from './canvas-overlay.ts';
import type { LeafletModule } from './leaflet.ts';

export type HeatPoint = { lat: number; lon: number; weight: number };

/** From transparent blue to red through yellow: 256 RGBA entries. */
function palette(): Uint8ClampedArray {
  const c = document.createElement('canvas');
  c.width = 256;
  c.height = 1;
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, 256, 0);
  g.addColorStop(0.0, 'rgba(40, 90, 255, 0)');
  g.addColorStop(0.25, 'rgba(40, 140, 255, 1)');
  g.addColorStop(0.5, 'rgba(60, 220, 140, 1)');
  g.addColorStop(0.75, 'rgba(245, 205, 50, 1)');
  g.addColorStop(1.0, 'rgba(255, 60, 50, 1)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 256, 1);
  return ctx.getImageData(0, 0, 256, 1).data;
}

/**
 * A heatmap of recent events drawn on canvas: each point adds a blurred spot of its weight
 * to an intensity image, which is then coloured through a palette.
 */
export class HeatLayer extends CanvasOverlay {
  #points: HeatPoint[] = [];
  #palette: Uint8ClampedArray | null = null;
  #spot: HTMLCanvasElement | null = null;
  readonly #radius: number;

  constructor(L: LeafletModule, radius = 22) {
    super(L, 'vigie-heat', { readsBack: true });
    this.#radius = radius;
    this.canvas.style.opacity = '0.75';
  }

  get size(): number {
    return this.#points.length;
  }

  setPoints(points: readonly HeatPoint[]): void {
    this.#points = points.slice();
    this.requestDraw();
  }

  #spotImage(): HTMLCanvasElement {
    if (this.#spot) return this.#spot;
    const r = this.#radius;
    const c = document.createElement('canvas');
    c.width = c.height = r * 2;
    const ctx = c.getContext('2d')!;
    const g = ctx.createRadialGradient(r, r, 0, r, r, r);
    g.addColorStop(0, 'rgba(0,0,0,1)');
    g.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, r * 2, r * 2);
    return (this.#spot = c);
  }

  protected override isEmpty(): boolean {
    return this.#points.length === 0;
  }

  protected override draw(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const map = this.map!;
    const spot = this.#spotImage();
    const r = this.#radius;
    for (const p of this.#points) {
      const { x, y } = map.latLngToContainerPoint([p.lat, p.lon]);
      if (x < -r || y < -r || x > width + r || y > height + r) continue;
      ctx.globalAlpha = Math.max(0.05, Math.min(1, p.weight));
      ctx.drawImage(spot, x - r, y - r);
    }
    ctx.globalAlpha = 1;
    const image = ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const px = image.data;
    const pal = (this.#palette ??= palette());
    for (let i = 3; i < px.length; i += 4) {
      const a = px[i]!;
      if (!a) continue;
      const j = a * 4;
      px[i - 3] = pal[j]!;
      px[i - 2] = pal[j + 1]!;
      px[i - 1] = pal[j + 2]!;
      px[i] = Math.min(255, pal[j + 3]! * 0.9 + 20);
    }
    ctx.putImageData(image, 0, 0);
  }
}
