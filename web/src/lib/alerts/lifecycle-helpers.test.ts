import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { changeText, diffAlert } from './alert-diff.ts';
import { NO_PEOPLE, peopleFrom } from './people.ts';
import { formatNumber } from '../i18n/translate.ts';
import { callsForCue, titleWithCue } from './cue.ts';
import { relatedNearby } from './related.ts';
import { ackRemaining, formatCountdown } from './timers.ts';

describe('timers', () => {
  it('counts down to escalation for open alerts only', () => {
    const now = Date.parse('2026-11-28T20:00:00Z');
    expect(ackRemaining(makeAlert({ ackDueAt: '2026-11-28T20:02:05Z' }), now)).toBe(125_000);
    expect(ackRemaining(makeAlert({ status: 'acknowledged', ackDueAt: '2026-11-28T20:02:05Z' }), now)).toBeNull();
    expect(ackRemaining(makeAlert({ ackDueAt: null }), now)).toBeNull();
    expect(formatCountdown(125_000)).toBe('2\u00a0min\u00a005\u00a0s');
    expect(formatCountdown(-61_000)).toBe('−1\u00a0min\u00a001\u00a0s');
    expect(formatCountdown(42_000)).toBe('42\u00a0s');
    expect(formatCountdown(3_725_000)).toBe('1\u00a0h\u00a002\u00a0min\u00a005\u00a0s');
  });
});

describe('related alerts', () => {
  it('lists the others within the radius, nearest first', () => {
    const a = makeAlert({ id: 'a', location: { lat: 43.2965, lon: 5.3698 } });
    const near = makeAlert({ id: 'near', location: { lat: 43.2975, lon: 5.3698 } }); // ~111 m
    const far = makeAlert({ id: 'far', location: { lat: 43.32, lon: 5.3698 } });
    const nowhere = makeAlert({ id: 'n', location: null });
    const out = relatedNearby(a, [a, far, near, nowhere]);
    expect(out.map((r) => r.alert.id)).toEqual(['near']);
    expect(out[0]!.meters).toBeGreaterThan(100);
    expect(out[0]!.meters).toBeLessThan(120);
  });
});

describe('what changed', () => {
  it('names the changed fields and the new history entries', () => {
    const seen = makeAlert({ version: 2, history: [{ at: '1', by: 'engine', action: 'fired' }] });
    const current = makeAlert({ version: 3, status: 'acknowledged', assignee: 'bob', history: [...seen.history, { at: '2', by: 'bob', action: 'ack' }] });
    const d = diffAlert(seen, current);
    expect(d.changes).toEqual([{ field: 'status', from: 'open', to: 'acknowledged' }, { field: 'assignee', from: '—', to: 'bob' }]);
    expect(d.entries.map((e) => e.by)).toEqual(['bob']);
  });

  it('reads assignees by display name, states and severities in the language, and counts as numbers', () => {
    const seen = makeAlert({ version: 2, count: 999, severity: 'medium' });
    const current = makeAlert({ version: 3, status: 'acknowledged', assignee: 'bob', severity: 'high', count: 1234 });
    const d = diffAlert(seen, current);
    expect(d.changes.find((c) => c.field === 'count')).toEqual({ field: 'count', from: 999, to: 1234 });
    const people = peopleFrom([{ username: 'bob', displayName: 'Bob Martin' }]);
    expect(d.changes.map((c) => changeText(c, 'en', people))).toEqual(['status Open → Acknowledged', 'assignee — → Bob Martin', 'severity Medium → High', 'count 999 → 1,234']);
    expect(changeText(d.changes.find((c) => c.field === 'count')!, 'fr', NO_PEOPLE)).toBe(`occurrences 999 → ${formatNumber('fr', 1234)}`);
    expect(changeText(d.changes.find((c) => c.field === 'assignee')!, 'fr', NO_PEOPLE)).toBe('assignée — → bob');
  });
});

describe('critical cue', () => {
  it('sounds for open unsilenced critical alerts and counts them in the title', () => {
    expect(callsForCue(makeAlert({ severity: 'critical' }))).toBe(true);
    expect(callsForCue(makeAlert({ severity: 'critical', silencedBy: 's' }))).toBe(false);
    expect(callsForCue(makeAlert({ severity: 'high' }))).toBe(false);
    expect(titleWithCue('Vigie', 2)).toBe('(2) ⚠ Vigie');
    expect(titleWithCue('Vigie', 0)).toBe('Vigie');
  });
});
