import { describe, expect, it } from 'vitest';
import { axisLabels, dayLabel, layoutBars, niceMax } from './day-chart.ts';

describe('the per-day chart', () => {
  it('tops the scale at a round number', () => {
    expect([0, 3, 7, 12, 180, 1001].map(niceMax)).toEqual([1, 3, 10, 20, 200, 2000]);
  });

  it('lays bars side by side, heights in proportion, on a common baseline', () => {
    const { bars, max } = layoutBars([{ day: 'a', count: 5 }, { day: 'b', count: 10 }, { day: 'c', count: 0 }], 340, 146, { left: 40, bottom: 28, top: 18 });
    expect(max).toBe(10);
    expect(bars.map((b) => Math.round(b.h))).toEqual([50, 100, 0]);
    expect(bars.map((b) => Math.round(b.y + b.h))).toEqual([118, 118, 118]);
    expect(bars[1]!.x - bars[0]!.x).toBeCloseTo(100);
  });

  it('writes the days as the console does: 01/10 in French, 1 Oct in English', () => {
    expect(dayLabel('2026-10-01', 'fr')).toBe('01/10');
    expect(dayLabel('2026-10-01', 'en')).toBe('1 Oct');
    expect(dayLabel('2026-12-31', 'en')).toBe('31 Dec');
    expect(dayLabel('not a day', 'en')).toBe('not a day');
  });

  /** 31 days from 1 November, as the 30 days' backtest gives them, in the component's 720×200 box. */
  const month = Array.from({ length: 31 }, (_, i) => ({ day: new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10), count: i % 3 }));

  for (const lang of ['fr', 'en'] as const) {
    it(`keeps every day label (${lang}) inside the chart, none running into the next, the last one whole at the right edge`, () => {
      const { bars } = layoutBars(month, 720, 200);
      const labels = axisLabels(bars, lang, 720);
      expect(labels.length).toBeGreaterThanOrEqual(8);
      expect(labels.length).toBeLessThanOrEqual(12);
      const boxes = labels.map((l) => {
        const w = l.text.length * 7.5;
        const left = l.anchor === 'end' ? l.x - w : l.anchor === 'start' ? l.x : l.x - w / 2;
        return { left, right: left + w };
      });
      for (const b of boxes) {
        expect(b.left).toBeGreaterThanOrEqual(0);
        expect(b.right).toBeLessThanOrEqual(720);
      }
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right + 8);
      // The last day labelled is the month's last (1 December), ended at the edge rather than cut ("01/1").
      expect(labels.at(-1)).toEqual({ day: '2026-12-01', text: lang === 'fr' ? '01/12' : '1 Dec', x: 720, anchor: 'end' });
      expect(labels[0]).toMatchObject({ day: '2026-11-01', anchor: 'middle' });
    });
  }

  it('spaces the labels by their width when the days are many', () => {
    const days = Array.from({ length: 90 }, (_, i) => ({ day: new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10), count: 1 }));
    const labels = axisLabels(layoutBars(days, 720, 200).bars, 'en', 720);
    expect(labels.length).toBeLessThanOrEqual(12);
    expect(labels.map((l) => l.text).slice(0, 3)).toEqual(['1 Sept', '10 Sept', '19 Sept']); // every 9th day: "10 Sept" is wider than 8 days' bars
  });
});
