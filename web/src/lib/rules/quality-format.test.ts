import { describe, expect, it } from 'vitest';
import { formatPerDay, formatSeconds, formatShare, isNoisy } from './quality-format.ts';

describe('rule quality as shown in the list', () => {
  it('formats shares, rates and durations, with a dash for no data', () => {
    expect(formatShare(0.456, 'fr')).toMatch(/^46[\u00a0\u202f]%$/); // the space that does not break (which one depends on the ICU data)
    expect(formatShare(0.456, 'en')).toBe('46%');
    expect(formatShare(null, 'fr')).toBe('—');
    expect(formatPerDay(0.1333, 'fr')).toBe('0,1');
    expect(formatPerDay(42.4, 'en')).toBe('42');
    expect([formatSeconds(45), formatSeconds(720), formatSeconds(7500), formatSeconds(null)]).toEqual(['45 s', '12 min', '2 h 05', '—']);
  });

  it('flags rules whose alerts are mostly false positives or too many', () => {
    const q = { alerts: 10, alertsPerDay: 0.3, acknowledgedShare: 0.2, falsePositiveShare: 0.6, medianSecondsToAck: 60, shadowAlerts: 0 };
    expect(isNoisy(q)).toBe(true);
    expect(isNoisy({ ...q, falsePositiveShare: 0.1 })).toBe(false);
    expect(isNoisy({ ...q, alerts: 3 })).toBe(false);
    expect(isNoisy(null)).toBe(false);
  });
});
