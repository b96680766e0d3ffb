import type { CsvMapping } from './csv-api.ts';
import type { UploadProgress } from './csv-upload.ts';
import type { Encoding } from './decode.ts';

/**
 * Where an import stood, kept in the browser (localStorage) after each chunk, so that a page
 * reloaded or closed in the middle of a long import resumes from where it stopped once the same
 * file is chosen again, instead of sending it all again and counting what it had stored as
 * duplicates. One import at a time: the last one.
 */
export type SavedImport = {
  file: { name: string; size: number; lastModified: number };
  source: string;
  mapping: CsvMapping;
  encoding: Encoding;
  /** The next chunk to send, and the chunk count (the same file cut the same way). */
  resumeAt: number;
  chunks: number;
  progress: UploadProgress;
  savedAt: string;
};

export const SAVED_IMPORT_KEY = 'vigie.import.inProgress';

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Keeps where the import stands; a storage full or refused (private mode) keeps nothing, silently. */
export function saveImport(storage: StorageLike, saved: SavedImport): void {
  try {
    storage.setItem(SAVED_IMPORT_KEY, JSON.stringify({ ...saved, progress: { ...saved.progress, retry: null } }));
  } catch {
    try {
      // Too large with every rejection's record: keep where it stood, the figures and the first rejections.
      const rejected = saved.progress.rejected.slice(0, 1000);
      storage.setItem(SAVED_IMPORT_KEY, JSON.stringify({ ...saved, progress: { ...saved.progress, rejected, retry: null } }));
    } catch {
      /* nothing kept */
    }
  }
}

/** The interrupted import of this file, if the last one kept is of it and was not finished. */
export function savedImportOf(storage: StorageLike, file: { name: string; size: number; lastModified: number }): SavedImport | null {
  let saved: SavedImport;
  try {
    saved = JSON.parse(storage.getItem(SAVED_IMPORT_KEY) ?? 'null') as SavedImport;
  } catch {
    return null;
  }
  if (!saved || typeof saved !== 'object' || !saved.file || !saved.progress) return null;
  const same = saved.file.name === file.name && saved.file.size === file.size && saved.file.lastModified === file.lastModified;
  return same && saved.resumeAt < saved.chunks ? saved : null;
}

export function forgetImport(storage: StorageLike): void {
  try {
    storage.removeItem(SAVED_IMPORT_KEY);
  } catch {
    /* nothing to forget */
  }
}
