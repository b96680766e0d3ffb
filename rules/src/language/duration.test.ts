import { describe, expect, it } from 'vitest';
import { durationText, formatDuration, parseDuration } from './duration.ts';

describe('durations as a person reads them', () => {
  it('a rule\'s as written, with units that do not read as metres', () => {
    expect(durationText('10m')).toBe('10 min');
    expect(durationText('2h')).toBe('2 h');
    expect(durationText('7d')).toBe('7d');
  });

  it('one the engine measured, in hours, minutes and seconds', () => {
    expect(durationText(formatDuration(10_780_000))).toBe('2 h 59 min');
    expect(durationText(formatDuration(3 * 3600_000))).toBe('3 h');
    expect(durationText(formatDuration(185_000))).toBe('3 min 05 s');
    expect(durationText('90s')).toBe('1 min 30 s');
    expect(durationText('42s')).toBe('42 s');
    expect(durationText(formatDuration(1234))).toBe('1 s');
    expect(durationText('0s')).toBe('0 s');
  });

  it('formatDuration writes the largest unit that divides the value, and parseDuration reads it back', () => {
    const cases: [number, string][] = [[2 * 604_800_000, '2w'], [8 * 86_400_000, '8d'], [36 * 3_600_000, '36h'], [90 * 60_000, '90m'], [45_000, '45s'], [1234, '1234ms'], [0, '0ms']];
    for (const [ms, text] of cases) {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text)).toBe(ms);
    }
  });
});
