import type { FeedHealth } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { errorRateHigh, formatErrorRate, formatLag, formatRate, lagHigh, liveFeeds, outOfTime, sortFeeds } from './feed-figures.ts';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('feed figures', () => {
  it('formats the rate per minute in the console language', () => {
    expect(formatRate(12.5, 'fr')).toBe('12,5');
    expect(formatRate(12.5, 'en')).toBe('12.5');
    expect(formatRate(0.17, 'fr')).toBe('0,17');
    expect(formatRate(1234, 'en')).toBe('1,234');
    expect(formatRate(undefined, 'fr')).toBeNull();
  });

  it('formats the error rate as a percentage', () => {
    expect(nbsp(formatErrorRate(0.025, 'fr'))).toBe('2,5 %');
    expect(formatErrorRate(0.025, 'en')).toBe('2.5%');
    expect(nbsp(formatErrorRate(0, 'fr'))).toBe('0 %');
    expect(formatErrorRate(undefined, 'fr')).toBe('—');
  });

  it('formats the lag in the largest useful units', () => {
    expect(formatLag(0, 'fr')).toBe('0 s');
    expect(formatLag(45, 'fr')).toBe('45 s');
    expect(formatLag(185, 'fr')).toBe('3 min 05 s');
    expect(formatLag(7500, 'en')).toBe('2 h 05 min');
    expect(formatLag(3 * 86_400 + 4 * 3600, 'fr')).toBe('3 j 4 h');
    expect(formatLag(3 * 86_400 + 4 * 3600, 'en')).toBe('3 d 4 h');
    expect(formatLag(null, 'fr')).toBe('—');
    expect(formatLag(undefined, 'en')).toBe('—');
  });

  it('lists the feeds that need a look first, and flags high error rates and lags', () => {
    const f = (source: string, status: FeedHealth['status'], extra: Partial<FeedHealth> = {}): FeedHealth => ({ source, status, lastEventAt: null, lastReceivedAt: null, eventsLastHour: 0, ...extra });
    expect(sortFeeds([f('b', 'ok'), f('a', 'ok'), f('z', 'silent'), f('c', 'late'), f('d', 'no-data')]).map((x) => x.source)).toEqual(['z', 'c', 'd', 'a', 'b']);
    // A source fed only by uploads comes last, and is no live feed.
    const withImport = [f('i', 'imported'), f('b', 'ok'), f('z', 'silent')];
    expect(sortFeeds(withImport).map((x) => x.source)).toEqual(['z', 'b', 'i']);
    expect(liveFeeds(withImport).map((x) => x.source)).toEqual(['b', 'z']);
    expect(errorRateHigh(f('a', 'ok', { errorRate: 0.2 }))).toBe(true);
    expect(errorRateHigh(f('a', 'ok', { errorRate: 0.01 }))).toBe(false);
    expect(errorRateHigh(f('a', 'ok'))).toBe(false);
    expect(lagHigh(f('a', 'ok', { lagSeconds: 3600 }))).toBe(true);
    expect(lagHigh(f('a', 'ok', { lagSeconds: null }))).toBe(false);
    expect(outOfTime(f('a', 'ok', { lateLastHour: 2, futureLastHour: 1 }))).toBe(3);
    expect(outOfTime(f('a', 'ok', {}))).toBe(0); // an older server without the figures
  });
});
