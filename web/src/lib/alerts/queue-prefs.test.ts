import { describe, expect, it } from 'vitest';
import { DEFAULT_ARRANGEMENT, loadArrangement, saveArrangement } from './queue-prefs.ts';

/** A Storage held in a map, as the browser's is. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, String(v)) };
}

describe('the queue\'s arrangement kept in the browser', () => {
  it('gives back what was kept', () => {
    const storage = memoryStorage();
    expect(loadArrangement(storage)).toEqual(DEFAULT_ARRANGEMENT);
    saveArrangement(storage, { sorting: 'due', grouping: 'zone' });
    expect(loadArrangement(storage)).toEqual({ sorting: 'due', grouping: 'zone' });
  });

  it('falls back to the default, part by part, for what is unknown or unreadable', () => {
    const storage = memoryStorage();
    storage.setItem('vigie.queue.arrangement', JSON.stringify({ sorting: 'random', grouping: 'rule' }));
    expect(loadArrangement(storage)).toEqual({ sorting: 'severity', grouping: 'rule' });
    storage.setItem('vigie.queue.arrangement', '{not json');
    expect(loadArrangement(storage)).toEqual(DEFAULT_ARRANGEMENT);
    storage.setItem('vigie.queue.arrangement', '42');
    expect(loadArrangement(storage)).toEqual(DEFAULT_ARRANGEMENT);
    expect(loadArrangement(undefined)).toEqual(DEFAULT_ARRANGEMENT);
  });

  it('keeps nothing, without failing, when the storage refuses', () => {
    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveArrangement(refusing, { sorting: 'oldest', grouping: 'none' })).not.toThrow();
    expect(() => loadArrangement({ getItem: () => { throw new Error('SecurityError'); }, setItem: () => undefined })).not.toThrow();
  });
});
