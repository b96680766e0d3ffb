import { formatDateTime } from '../format/time.ts';
import type { Lang } from '../i18n/translate.ts';

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

/**
 * A day (`2026-10-01`) under its bar, as the console writes a date: `01/10` in French, `1 Oct`
 * in English ("01/10" reads as the 10th of January to part of its readers). Written by
 * lib/format/time.ts (the one module that formats dates), its time of day left out: a calendar
 * day of the city, no zone to apply.
 */
export function dayLabel(day: string, lang: Lang): string {
  const iso = `${day}T12:00:00Z`;
  if (Number.isNaN(Date.parse(iso))) return day;
  return formatDateTime(iso, lang, 'UTC').replace(/,?\s*12:00:00$/, '');
}

export type AxisLabel = { day: string; text: string; x: number; anchor: 'start' | 'middle' | 'end' };

/**
 * The day labels under the bars: every `step`-th day from the first, `step` large enough that
 * at most `most` labels are shown and that no label runs into the next (widths estimated at
 * `charWidth` a character). Each is centred under its bar unless that would cut it at the
 * chart's edges (`left`, `width`): the last day's then ends at the right edge.
 */
export function axisLabels(bars: readonly Bar[], lang: Lang, width: number, { left = 0, charWidth = 7.5, gap = 8, most = 12 } = {}): AxisLabel[] {
  if (!bars.length) return [];
  const texts = bars.map((b) => dayLabel(b.day, lang));
  const widest = Math.max(...texts.map((t) => t.length)) * charWidth;
  const slot = bars.length > 1 ? bars[1]!.x - bars[0]!.x : width;
  const step = Math.max(1, Math.ceil(bars.length / most), Math.ceil((widest + gap) / slot));
  const out: AxisLabel[] = [];
  let lastRight = -Infinity;
  for (let i = 0; i < bars.length; i += step) {
    const b = bars[i]!, text = texts[i]!, w = text.length * charWidth;
    const centre = b.x + b.w / 2;
    const label: AxisLabel = centre + w / 2 > width ? { day: b.day, text, x: width, anchor: 'end' }
      : centre - w / 2 < left ? { day: b.day, text, x: left, anchor: 'start' }
      : { day: b.day, text, x: centre, anchor: 'middle' };
    const from = label.anchor === 'end' ? width - w : label.anchor === 'start' ? left : centre - w / 2;
    if (from < lastRight + gap) continue; // pushed back from the edge onto the one before: left out
    out.push(label);
    lastRight = from + w;
  }
  return out;
}
