import { describe, expect, it } from 'vitest';
import type { Alert, AlertMessage } from '@vigie/rules';
import { makeAlert } from '../testing/alert-fixture.ts';
import { WallAlerts } from './wall-alerts.ts';
import { usualValue } from './wall-format.ts';

const msg = (a: Partial<Alert> & { id: string }, version = 1, seq = version): AlertMessage => ({ seq, version, alert: makeAlert({ ...a, version, seq }) });

describe('WallAlerts', () => {
  it('keeps active alerts, drops closed ones and never revives them with an older message', () => {
    const s = new WallAlerts();
    expect(s.apply([msg({ id: 'a' }, 1, 1), msg({ id: 'b' }, 1, 2)])).toBe(true);
    expect([...s.byId.keys()]).toEqual(['a', 'b']);
    s.apply([msg({ id: 'a', status: 'resolved' }, 2, 3)]);
    expect([...s.byId.keys()]).toEqual(['b']);
    expect(s.apply([msg({ id: 'a' }, 1, 1)])).toBe(false);
    expect(s.byId.has('a')).toBe(false);
    expect(s.lastSeq).toBe(3);
  });

  it('stays bounded: past the limit it keeps the most severe, then the most recent', () => {
    const s = new WallAlerts(3);
    s.apply([
      msg({ id: 'old-critical', severity: 'critical', lastAt: '2026-11-28T10:00:00Z' }, 1, 1),
      msg({ id: 'low-1', severity: 'low', lastAt: '2026-11-28T10:01:00Z' }, 1, 2),
      msg({ id: 'low-2', severity: 'low', lastAt: '2026-11-28T10:02:00Z' }, 1, 3),
      msg({ id: 'low-3', severity: 'low', lastAt: '2026-11-28T10:03:00Z' }, 1, 4),
    ]);
    expect([...s.byId.keys()].sort()).toEqual(['low-2', 'low-3', 'old-critical']);
    for (let i = 0; i < 2000; i++) s.apply([msg({ id: `x${i}` }, 1, 10 + i), msg({ id: `x${i}`, status: 'resolved' }, 2, 10 + i)]);
    expect(s.size).toBeLessThanOrEqual(3);
  });
});

describe('the usual number of incidents, as the wall says it', () => {
  it('is whole from 10 up, with one decimal at most below', () => {
    expect(usualValue(213.3333)).toBe(213);
    expect(usualValue(10.6)).toBe(11);
    expect(usualValue(9.96)).toBe(10);
    expect(usualValue(2.54)).toBe(2.5);
    expect(usualValue(0.333)).toBe(0.3);
    expect(usualValue(0)).toBe(0);
    expect(usualValue(Number.NaN)).toBe(0);
  });
});
