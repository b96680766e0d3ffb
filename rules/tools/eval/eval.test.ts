import { describe, expect, it } from 'vitest';
import { evaluate } from './run-eval.ts';

describe('the evaluation harness (a short run; `npm run eval` runs the long one)', () => {
  const r = evaluate({ seed: 3, learnWeeks: 3, evalDays: 2, plantsPerRule: 4, lateness: 120_000 });

  it('plants signals for every stock rule and detects at least 95% of them', () => {
    const missing = r.scores.filter((s) => s.plants === 0).map((s) => s.rule);
    expect(missing.filter((m) => m !== 'night-assault-admissions' && m !== 'school-hours-incidents')).toEqual([]);
    expect(r.total.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('at most one false anomaly alert per zone per day on background alone', () => {
    expect(r.scores.find((s) => s.rule === 'district-anomaly')!.falsePerZoneDay).toBeLessThanOrEqual(1);
  });

  it('a stream shuffled within the allowed lateness gives the same alerts, none missing, none doubled', () => {
    expect(r.shuffle).toMatchObject({ same: true, missing: [], extra: [] });
    expect(r.shuffle.alerts).toBeGreaterThan(20);
  });
});
