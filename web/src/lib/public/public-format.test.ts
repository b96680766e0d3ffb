import { describe, expect, it } from 'vitest';
import { countText, sortValue } from './public-format.ts';

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
