import { describe, expect, it } from 'vitest';
import { leftByFraction, timeLeftText } from './time-left.ts';

describe('time left', () => {
  it('is worded in seconds, minutes and seconds, or hours and minutes', () => {
    expect(timeLeftText(42_400, 'fr')).toBe('42\u00a0s');
    expect(timeLeftText(185_000, 'fr')).toBe('3\u00a0min 05\u00a0s');
    expect(timeLeftText(4_800_000, 'en')).toBe('1\u00a0h 20\u00a0min');
    expect(timeLeftText(10, 'en')).toBe('1\u00a0s'); // never "0 s" while running
  });

  it('goes by the rate so far, once there is one', () => {
    expect(leftByFraction(0.25, 10_000)).toBe(30_000);
    expect(leftByFraction(0.01, 10_000)).toBeNull(); // too little done to say
    expect(leftByFraction(0.5, 500)).toBeNull(); // too soon
    expect(leftByFraction(1, 10_000)).toBeNull();
    expect(leftByFraction(Number.NaN, 10_000)).toBeNull();
  });
});
