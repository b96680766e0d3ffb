import { describe, expect, it } from 'vitest';
import { labelsToHide, type LabelBox } from './label-declutter.ts';

const box = (left: number, top: number, width: number, height: number, priority = 1): LabelBox => ({ left, top, right: left + width, bottom: top + height, priority });

describe('labelsToHide', () => {
  it('keeps labels that do not touch', () => {
    expect(labelsToHide([box(0, 0, 50, 10), box(60, 0, 50, 10), box(0, 20, 50, 10)])).toEqual(new Set());
  });

  it('hides the later of two overlapping labels of the same priority', () => {
    expect(labelsToHide([box(0, 0, 50, 10), box(40, 5, 50, 10)])).toEqual(new Set([1]));
  });

  it('keeps the higher priority label whatever the order (a zone with alerts over a place name)', () => {
    expect(labelsToHide([box(0, 0, 50, 10, 1), box(40, 5, 50, 10, 3)])).toEqual(new Set([0]));
  });

  it('a hidden label takes no room: the one after it that overlaps only the hidden one is kept', () => {
    // 0 kept; 1 overlaps 0 (hidden); 2 overlaps 1 only (kept)
    expect(labelsToHide([box(0, 0, 50, 10), box(45, 0, 50, 10), box(98, 0, 50, 10)])).toEqual(new Set([1]));
  });

  it('keeps a small gap between labels', () => {
    expect(labelsToHide([box(0, 0, 50, 10), box(51, 0, 50, 10)])).toEqual(new Set([1]));
    expect(labelsToHide([box(0, 0, 50, 10), box(53, 0, 50, 10)])).toEqual(new Set());
  });

  it('ignores labels that are not displayed (no size)', () => {
    expect(labelsToHide([box(0, 0, 0, 0, 5), box(0, 0, 50, 10)])).toEqual(new Set());
  });
});
