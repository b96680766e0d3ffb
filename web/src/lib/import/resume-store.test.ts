import { describe, expect, it } from 'vitest';
import { initialProgress } from './csv-upload.ts';
import { planChunks, splitCsv } from './csv-records.ts';
import { forgetImport, SAVED_IMPORT_KEY, saveImport, savedImportOf, type SavedImport } from './resume-store.ts';

function memoryStorage(limit = Infinity) {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > limit) throw new DOMException('full', 'QuotaExceededError');
      m.set(k, v);
    },
    removeItem: (k: string) => void m.delete(k),
  };
}

const file = { name: 'main-courante.csv', size: 1234, lastModified: 1_780_000_000_000 };
const split = splitCsv('numero;nature\n1;vol\n2;rixe\n3;vol\n');
const chunks = planChunks(split, { maxRecords: 1, maxBytes: 1 << 20 });
const saved = (resumeAt: number): SavedImport => ({
  file, source: 'csu', mapping: { id: 'numero' }, encoding: 'windows-1252', resumeAt, chunks: chunks.length,
  progress: { ...initialProgress({ split, chunks, source: 'csu', mapping: {} }), processed: resumeAt, accepted: resumeAt, done: resumeAt, retry: { reason: 'network', waitMs: 500, attempt: 1 } },
  savedAt: '2026-11-29T08:00:00.000Z',
});

describe('an interrupted import kept in the browser', () => {
  it('is found again for the same file (name, size, modification time), not for another, and not once finished', () => {
    const storage = memoryStorage();
    saveImport(storage, saved(2));
    const found = savedImportOf(storage, file)!;
    expect(found).toMatchObject({ source: 'csu', resumeAt: 2, chunks: 3, encoding: 'windows-1252', progress: { processed: 2, retry: null } });
    expect(savedImportOf(storage, { ...file, size: 1235 })).toBeNull();
    expect(savedImportOf(storage, { ...file, lastModified: file.lastModified + 1 })).toBeNull();
    saveImport(storage, saved(3));
    expect(savedImportOf(storage, file)).toBeNull();
    forgetImport(storage);
    expect(storage.m.has(SAVED_IMPORT_KEY)).toBe(false);
  });

  it('keeps where it stood without every rejection when the storage is too small, and nothing when even that does not fit', () => {
    const big = saved(1);
    big.progress.rejected = Array.from({ length: 3000 }, (_, i) => ({ number: i + 1, line: i + 2, field: 'date', message: 'x', text: 'y'.repeat(100) }));
    const storage = memoryStorage(200_000);
    saveImport(storage, big);
    expect(savedImportOf(storage, file)!.progress.rejected).toHaveLength(1000);
    const tiny = memoryStorage(10);
    saveImport(tiny, big);
    expect(savedImportOf(tiny, file)).toBeNull();
    expect(savedImportOf({ getItem: () => '{not json', setItem: () => {}, removeItem: () => {} }, file)).toBeNull();
  });
});
