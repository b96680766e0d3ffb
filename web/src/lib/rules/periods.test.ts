import { describe, expect, it } from 'vitest';
import { customRange, periodRange } from './periods.ts';

const NOW = new Date('2026-11-29T09:00:00Z');

describe('backtest periods', () => {
  it('ends a preset period now', () => {
    expect(periodRange('7d', NOW)).toEqual({ from: '2026-11-22T09:00:00.000Z', to: '2026-11-29T09:00:00.000Z' });
  });

  it("reads a chosen period on the city's clock, whatever the browser's zone", () => {
    // Saturday's match night in Marseille: 20:00 to 01:00, winter time (UTC+1).
    expect(customRange('2026-11-28T20:00', '2026-11-29T01:00', 'Europe/Paris', NOW)).toEqual({ ok: true, from: '2026-11-28T19:00:00.000Z', to: '2026-11-29T00:00:00.000Z' });
    // Summer time (UTC+2), and a night across the change back to winter time.
    expect(customRange('2026-07-14T22:00', '2026-07-15T02:00', 'Europe/Paris', NOW)).toEqual({ ok: true, from: '2026-07-14T20:00:00.000Z', to: '2026-07-15T00:00:00.000Z' });
    expect(customRange('2026-10-24T22:00', '2026-10-25T06:00', 'Europe/Paris', NOW)).toEqual({ ok: true, from: '2026-10-24T20:00:00.000Z', to: '2026-10-25T05:00:00.000Z' });
  });

  it('says why a chosen period cannot run', () => {
    expect(customRange('', '2026-11-29T01:00', 'Europe/Paris', NOW)).toEqual({ ok: false, why: 'rules.backtest.custom.missing' });
    expect(customRange('2026-11-29T01:00', '2026-11-28T20:00', 'Europe/Paris', NOW)).toEqual({ ok: false, why: 'rules.backtest.custom.order' });
    expect(customRange('2026-10-01T00:00', '2026-11-02T00:00', 'Europe/Paris', NOW)).toEqual({ ok: false, why: 'rules.backtest.custom.tooLong' });
    expect(customRange('2026-10-28T00:00', '2026-11-28T00:00', 'Europe/Paris', NOW).ok).toBe(true); // 31 days
    expect(customRange('2026-11-30T00:00', '2026-12-01T00:00', 'Europe/Paris', NOW)).toEqual({ ok: false, why: 'rules.backtest.custom.future' });
  });
});
