import { describe, expect, it } from 'vitest';
import { fitScale } from './fit-height.ts';

describe('fitScale', () => {
  it('leaves content that fits as it is', () => {
    expect(fitScale(500, 600)).toBe(1);
    expect(fitScale(600, 600)).toBe(1);
  });
  it('zooms content that runs longer out just below the ratio, so that it fits whole', () => {
    expect(fitScale(700, 600)).toBe(0.85);
    expect(700 * fitScale(700, 600)).toBeLessThanOrEqual(600);
    expect(fitScale(1000, 500)).toBe(0.5);
  });
  it('does not zoom on a column not laid out yet', () => {
    expect(fitScale(0, 0)).toBe(1);
    expect(fitScale(300, 0)).toBe(1);
  });
});
