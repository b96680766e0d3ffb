import { describe, expect, it } from 'vitest';
import { classBounds, classOf, countText, roundedRange } from './public-format.ts';

describe('public page formats', () => {
  it('writes counts as numbers of the language', () => {
    expect(countText(1235, 'fr')).toBe('1\u202f235');
    expect(countText(1235, 'en')).toBe('1,235');
    expect(countText(0, 'en')).toBe('0');
  });
  it('says what a rounded count may have been', () => {
    expect(roundedRange(0, 5)).toEqual([0, 4]);
    expect(roundedRange(5, 5)).toEqual([1, 9]);
    expect(roundedRange(10, 5)).toEqual([6, 14]);
  });
});

describe('the map classes', () => {
  it('cut the counts above zero into up to five classes of about as many values', () => {
    const bounds = classBounds([0, 1000, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(bounds).toEqual([10, 20, 30, 40]);
    expect([5, 10, 15, 35, 45, 1000].map((n) => classOf(n, bounds))).toEqual([0, 0, 1, 3, 4, 4]);
  });
  it('make fewer classes of few counts, none of none', () => {
    expect(classBounds([0, 0])).toEqual([]);
    expect(classOf(5, classBounds([5]))).toBe(0);
    const two = classBounds([5, 50]);
    expect([classOf(5, two), classOf(50, two)]).toEqual([0, 1]);
  });
});
