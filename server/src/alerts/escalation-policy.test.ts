import { describe, expect, it } from 'vitest';
import { ackDueAt, escalatedSeverity, parseEscalationPolicy } from './escalation-policy.ts';

describe('escalation policy', () => {
  it('reads minutes per severity', () => {
    expect(parseEscalationPolicy('critical=5, high=15,low=0.5')).toEqual({ critical: 300_000, high: 900_000, low: 30_000 });
    expect(parseEscalationPolicy('')).toEqual({});
  });
  it('names the bad part', () => {
    expect(() => parseEscalationPolicy('high=15,urgent=3')).toThrow(/"urgent=3"/);
    expect(() => parseEscalationPolicy('high=soon')).toThrow(/"high=soon"/);
  });
  it('escalates one step, critical stays critical; no delay means never', () => {
    expect(escalatedSeverity('medium')).toBe('high');
    expect(escalatedSeverity('critical')).toBe('critical');
    expect(ackDueAt({ high: 60_000 }, 'info', new Date(0))).toBeNull();
    expect(ackDueAt({ high: 60_000 }, 'high', new Date(0))).toBe('1970-01-01T00:01:00.000Z');
  });
});
