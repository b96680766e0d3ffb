import { describe, expect, it } from 'vitest';
import { dropDrafts, keepDrafts, keptDrafts } from './kept-drafts.ts';

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('drafts kept across a session that ends', () => {
  it('keeps what was typed, per user and per alert, and gives it back to that user only', () => {
    const store = memoryStore();
    keepDrafts(store, 'operator', { comment: { a1: 'Caméra 12 orientée', a2: '   ' }, assign: { a1: 'Patrouille 2' }, reopen: {} });
    expect(keptDrafts(store, 'operator')).toEqual({ comment: { a1: 'Caméra 12 orientée' }, assign: { a1: 'Patrouille 2' }, reopen: {} });
    expect(keptDrafts(store, 'supervisor')).toEqual({ comment: {}, assign: {}, reopen: {} });
  });

  it('keeps nothing once nothing is typed, and forgets on purpose', () => {
    const store = memoryStore();
    keepDrafts(store, 'operator', { comment: { a1: 'x' }, assign: {}, reopen: {} });
    keepDrafts(store, 'operator', { comment: {}, assign: {}, reopen: {} });
    expect(store.m.size).toBe(0);
    keepDrafts(store, 'operator', { comment: {}, assign: {}, reopen: { a3: 'Écartée par erreur' } });
    dropDrafts(store, 'operator');
    expect(keptDrafts(store, 'operator').reopen).toEqual({});
  });

  it('reads an unreadable or foreign value as none, and a full storage costs the page nothing', () => {
    const store = memoryStore();
    store.setItem('vigie.drafts.operator', '{not json');
    expect(keptDrafts(store, 'operator')).toEqual({ comment: {}, assign: {}, reopen: {} });
    store.setItem('vigie.drafts.operator', JSON.stringify({ comment: { a1: 42, a2: 'ok' }, assign: 'x' }));
    expect(keptDrafts(store, 'operator')).toEqual({ comment: { a2: 'ok' }, assign: {}, reopen: {} });
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => undefined };
    expect(() => keepDrafts(full, 'operator', { comment: { a1: 'x' }, assign: {}, reopen: {} })).not.toThrow();
  });
});
