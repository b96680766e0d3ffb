/** Bars of a per-day chart in a `width`×`height` box, leaving `pad` for labels; the scale tops at a round number. */
export type Bar = { day: string; count: number; x: number; y: number; w: number; h: number };

export function niceMax(n: number): number {
  if (n <= 5) return Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

export function layoutBars(days: readonly { day: string; count: number }[], width: number, height: number, pad = { left: 40, bottom: 28, top: 18 }): { bars: Bar[]; max: number } {
  const max = niceMax(Math.max(0, ...days.map((d) => d.count)));
  const plotW = width - pad.left;
  const plotH = height - pad.bottom - pad.top;
  const slot = days.length ? plotW / days.length : plotW;
  const w = Math.max(2, slot * 0.7);
  return {
    max,
    bars: days.map((d, i) => {
      const h = (d.count / max) * plotH;
      return { day: d.day, count: d.count, x: pad.left + i * slot + (slot - w) / 2, y: pad.top + plotH - h, w, h };
    }),
  };
}
