import { describe, expect, it } from 'vitest';
import { leftByFraction, timeLeftText } from './time-left.ts';

describe('time left', () => {
  it('is worded in seconds, minutes and seconds, or hours and minutes', () => {
    expect(timeLeftText(42_400, 'fr')).toBe('42 s');
    expect(timeLeftText(185_000, 'fr')).toBe('3 min 05 s');
    expect(timeLeftText(4_800_000, 'en')).toBe('1 h 20 min');
    expect(timeLeftText(10, 'en')).toBe('1 s'); // never "0 s" while running
  });

  it('goes by the rate so far, once there is one', () => {
    expect(leftByFraction(0.25, 10_000)).toBe(30_000);
    expect(leftByFraction(0.01, 10_000)).toBeNull(); // too little done to say
    expect(leftByFraction(0.5, 500)).toBeNull(); // too soon
    expect(leftByFraction(1, 10_000)).toBeNull();
    expect(leftByFraction(Number.NaN, 10_000)).toBeNull();
  });
});
