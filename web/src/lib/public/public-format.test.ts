import { describe, expect, it } from 'vitest';
import { classBounds, classOf, countText, sortValue } from './public-format.ts';

describe('public page formats', () => {
  it('writes a withheld count as "< 5", others as numbers of the language', () => {
    expect(countText(null, 5, 'fr')).toBe('<\u00a05');
    expect(countText(1234, 5, 'fr')).toBe('1\u202f234');
    expect(countText(1234, 5, 'en')).toBe('1,234');
    expect(countText(0, 5, 'en')).toBe('0');
  });
  it('sorts a withheld count between none and the smallest published one', () => {
    const counts = { incident: null, accident: 0, citizen: 5, lighting: 0, transport: 0, crowd: 0 };
    expect(sortValue(counts, 'accident')).toBeLessThan(sortValue(counts, 'incident'));
    expect(sortValue(counts, 'incident')).toBeLessThan(sortValue(counts, 'citizen'));
  });
});

describe('the map classes', () => {
  it('cut the published counts above zero into up to five classes of about as many values', () => {
    const bounds = classBounds([0, null, 1000, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(bounds).toHaveLength(4);
    expect([5, 6, 7, 9, 13, 1000].map((n) => classOf(n, bounds))).toEqual([0, 0, 1, 2, 4, 4]);
  });
  it('make fewer classes of few counts, none of none', () => {
    expect(classBounds([null, 0])).toEqual([]);
    expect(classOf(7, classBounds([7]))).toBe(0);
    const two = classBounds([5, 50]);
    expect([classOf(5, two), classOf(50, two)]).toEqual([0, 1]);
  });
});
