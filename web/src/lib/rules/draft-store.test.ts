import { describe, expect, it } from 'vitest';
import { draftOf, forgetDraft, saveDraft, type RuleDraft } from './draft-store.ts';

function memoryStorage(full = false) {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => { if (full) throw new DOMException('quota', 'QuotaExceededError'); m.set(k, v); },
    removeItem: (k: string) => void m.delete(k),
    m,
  };
}

const draft: RuleDraft = { text: 'id: x\n', comment: 'seuil abaissé', shadow: false, baseVersion: 3, by: 'alice', savedAt: '2026-11-29T10:00:00.000Z' };

describe('rule drafts kept in the browser', () => {
  it('keeps a draft per rule, for the person who wrote it only', () => {
    const s = memoryStorage();
    saveDraft(s, 'three-sources', draft);
    expect(draftOf(s, 'three-sources', 'alice')).toEqual(draft);
    expect(draftOf(s, 'three-sources', 'bob')).toBeNull();
    expect(draftOf(s, 'feed-silent', 'alice')).toBeNull();
    forgetDraft(s, 'three-sources');
    expect(draftOf(s, 'three-sources', 'alice')).toBeNull();
  });

  it('reads nothing from a damaged entry, and a full storage keeps nothing without failing', () => {
    const s = memoryStorage();
    s.m.set('vigie.rules.draft.x', '{not json');
    expect(draftOf(s, 'x', 'alice')).toBeNull();
    s.m.set('vigie.rules.draft.x', JSON.stringify({ by: 'alice', savedAt: 'now' }));
    expect(draftOf(s, 'x', 'alice')).toBeNull();
    const full = memoryStorage(true);
    expect(() => saveDraft(full, 'x', draft)).not.toThrow();
    expect(draftOf(full, 'x', 'alice')).toBeNull();
  });

  it('a new rule (no version yet) keeps a null base', () => {
    const s = memoryStorage();
    saveDraft(s, 'new', { ...draft, baseVersion: null });
    expect(draftOf(s, 'new', 'alice')!.baseVersion).toBeNull();
  });
});
