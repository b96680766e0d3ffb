import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { isSorting, sortQueue } from './queue-order.ts';
import { activeQueue } from './store-logic.ts';

const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 20, min)).toISOString();
const alerts = activeQueue([
  makeAlert({ id: 'crit-new', severity: 'critical', createdAt: at(30), ackDueAt: at(35) }),
  makeAlert({ id: 'high-old-overdue', severity: 'high', createdAt: at(0), ackDueAt: at(15) }),
  makeAlert({ id: 'high-acked', severity: 'high', status: 'acknowledged', createdAt: at(10), ackDueAt: at(25) }),
  makeAlert({ id: 'low-no-timer', severity: 'low', createdAt: at(20) }),
  makeAlert({ id: 'medium-due', severity: 'medium', createdAt: at(5), ackDueAt: at(40) }),
]);
const ids = (list: readonly { id: string }[]) => list.map((a) => a.id);

describe('the queue in the order the operator picks', () => {
  it('keeps the store\'s order (severity first) as it is, without copying it', () => {
    expect(ids(alerts)).toEqual(['crit-new', 'high-acked', 'high-old-overdue', 'medium-due', 'low-no-timer']);
    expect(sortQueue(alerts, 'severity')).toBe(alerts);
  });

  it('puts first the open alerts whose acknowledgement falls due first, then open ones without a timer, then the acknowledged', () => {
    expect(ids(sortQueue(alerts, 'due'))).toEqual(['high-old-overdue', 'crit-new', 'medium-due', 'low-no-timer', 'high-acked']);
  });

  it('sorts by when they were raised, newest or oldest first, and leaves the store\'s list untouched', () => {
    expect(ids(sortQueue(alerts, 'newest'))).toEqual(['crit-new', 'low-no-timer', 'high-acked', 'medium-due', 'high-old-overdue']);
    expect(ids(sortQueue(alerts, 'oldest'))).toEqual(['high-old-overdue', 'medium-due', 'high-acked', 'low-no-timer', 'crit-new']);
    expect(ids(alerts)[0]).toBe('crit-new');
  });

  it('keeps a repeating alert in its place (a repeat changes neither when it was raised nor when it falls due)', () => {
    const repeated = alerts.map((a) => (a.id === 'medium-due' ? { ...a, count: 9, lastAt: at(59), updatedAt: at(59) } : a));
    for (const by of ['due', 'newest', 'oldest'] as const) expect(ids(sortQueue(repeated, by))).toEqual(ids(sortQueue(alerts, by)));
  });

  it('knows its orders', () => {
    expect(isSorting('due')).toBe(true);
    expect(isSorting('random')).toBe(false);
    expect(isSorting(undefined)).toBe(false);
  });
});
