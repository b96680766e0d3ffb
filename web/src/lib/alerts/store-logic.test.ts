import { describe, expect, it } from 'vitest';
import { makeAlert, makeMessage } from '../testing/alert-fixture.ts';
import { activeQueue, applyLive, applySnapshot, createIndex, mergeAlert } from './store-logic.ts';

describe('mergeAlert', () => {
  it('adds an unknown alert and replaces it only with a newer version', () => {
    const index = createIndex();
    expect(mergeAlert(index, makeMessage(1, { version: 1 }))).toBe(true);
    expect(mergeAlert(index, makeMessage(2, { version: 2, status: 'acknowledged' }))).toBe(true);
    expect(index.byId.get('a1')?.status).toBe('acknowledged');
  });

  it('ignores the same version again and older versions', () => {
    const index = createIndex();
    mergeAlert(index, makeMessage(5, { version: 3, title: 'v3' }));
    expect(mergeAlert(index, makeMessage(5, { version: 3, title: 'again' }))).toBe(false);
    expect(mergeAlert(index, makeMessage(4, { version: 2, title: 'older' }))).toBe(false);
    expect(index.byId.get('a1')?.title).toBe('v3');
    expect(index.byId.size).toBe(1);
  });
});

describe('applyLive', () => {
  it('keeps one entry per alert and the highest seq, whatever the order', () => {
    const index = createIndex();
    const changed = applyLive(index, [
      makeMessage(3, { id: 'a', version: 2 }),
      makeMessage(2, { id: 'a', version: 1 }),
      makeMessage(4, { id: 'b', version: 1 }),
      makeMessage(4, { id: 'b', version: 1 }),
    ]);
    expect(changed).toEqual(['a', 'b']);
    expect([...index.byId.keys()].sort()).toEqual(['a', 'b']);
    expect(index.byId.get('a')?.version).toBe(2);
    expect(index.lastSeq).toBe(4);
  });

  it('takes the lastSeq of a sync reply even when it has no message', () => {
    const index = createIndex(new Map(), 10);
    applyLive(index, [], 12);
    expect(index.lastSeq).toBe(12);
    applyLive(index, [], 11);
    expect(index.lastSeq).toBe(12);
  });

  it('replays a sync after a live message without showing anything twice', () => {
    const index = createIndex();
    applyLive(index, [makeMessage(7, { id: 'x', version: 2 })]);
    applyLive(index, [makeMessage(6, { id: 'x', version: 1 }), makeMessage(7, { id: 'x', version: 2 })], 7);
    expect(index.byId.size).toBe(1);
    expect(index.byId.get('x')?.version).toBe(2);
  });
});

describe('applySnapshot', () => {
  it('merges by version but moves lastSeq only with the list lastSeq', () => {
    const index = createIndex(new Map(), 5);
    applySnapshot(index, [makeAlert({ id: 'a', version: 4, seq: 40 })]);
    expect(index.lastSeq).toBe(5);
    applySnapshot(index, [makeAlert({ id: 'a', version: 3, seq: 30, title: 'stale' })], 41);
    expect(index.byId.get('a')?.version).toBe(4);
    expect(index.lastSeq).toBe(41);
  });
});

describe('activeQueue', () => {
  it('lists open and acknowledged alerts, the most severe first, then the newest raised', () => {
    const queue = activeQueue([
      makeAlert({ id: 'old-high', severity: 'high', createdAt: '2026-11-28T20:00:00Z' }),
      makeAlert({ id: 'done', status: 'resolved', severity: 'critical', createdAt: '2026-11-28T23:00:00Z' }),
      makeAlert({ id: 'gone', status: 'dismissed', severity: 'critical', createdAt: '2026-11-28T23:00:00Z' }),
      makeAlert({ id: 'new-low', severity: 'low', createdAt: '2026-11-28T22:30:00Z' }),
      makeAlert({ id: 'old-critical', severity: 'critical', status: 'acknowledged', createdAt: '2026-11-28T19:00:00Z' }),
      makeAlert({ id: 'new-high', severity: 'high', createdAt: '2026-11-28T22:00:00+01:00' }),
      makeAlert({ id: 'medium', severity: 'medium', createdAt: '2026-11-28T22:10:00Z' }),
      makeAlert({ id: 'info', severity: 'info', createdAt: '2026-11-28T23:10:00Z' }),
    ]);
    expect(queue.map((a) => a.id)).toEqual(['old-critical', 'new-high', 'old-high', 'medium', 'new-low', 'info']);
  });

  it('does not move an alert that repeats, is commented or acknowledged: only its severity and age place it', () => {
    const alerts = Array.from({ length: 6 }, (_, i) =>
      makeAlert({ id: `a${i}`, severity: i % 2 ? 'high' : 'medium', createdAt: `2026-11-28T20:0${i}:00Z`, lastAt: `2026-11-28T20:0${i}:00Z` }),
    );
    const before = activeQueue(alerts).map((a) => a.id);
    const noisy = alerts[1]!;
    const after = activeQueue([
      ...alerts.filter((a) => a !== noisy),
      { ...noisy, count: 40, lastAt: '2026-11-28T23:59:00Z', updatedAt: '2026-11-28T23:59:00Z', status: 'acknowledged', version: 9 },
    ]).map((a) => a.id);
    expect(after).toEqual(before);
  });

  it('puts escalated alerts first within their severity', () => {
    const queue = activeQueue([
      makeAlert({ id: 'fresh', severity: 'critical', createdAt: '2026-11-28T22:00:00Z' }),
      makeAlert({ id: 'escalated', severity: 'critical', escalations: 1, createdAt: '2026-11-28T20:00:00Z' }),
      makeAlert({ id: 'high', severity: 'high', createdAt: '2026-11-28T23:00:00Z' }),
    ]);
    expect(queue.map((a) => a.id)).toEqual(['escalated', 'fresh', 'high']);
  });

  it('compares instants, not strings, across offsets', () => {
    const queue = activeQueue([
      makeAlert({ id: 'utc', createdAt: '2026-11-28T20:59:00Z' }),
      makeAlert({ id: 'paris', createdAt: '2026-11-28T22:00:00+01:00' }),
    ]);
    expect(queue.map((a) => a.id)).toEqual(['paris', 'utc']);
  });
});
