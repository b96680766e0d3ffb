import { decodeWindows1252 } from '@vigie/rules';

/** The encodings an export may come in: UTF-8, or Windows' Western European code page (older French exports). */
export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export type Decoded = { text: string; encoding: Encoding; /** UTF-8 was tried first and the bytes were not valid UTF-8. */ fellBack: boolean };

/** Decodes in the given encoding (a UTF-8 byte-order mark is dropped). */
export function decodeAs(bytes: Uint8Array, encoding: Encoding): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** Decodes as UTF-8 when the bytes are valid UTF-8, as windows-1252 otherwise. */
export function decodeCsv(bytes: Uint8Array): Decoded {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8', fellBack: false };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252', fellBack: true };
  }
}
