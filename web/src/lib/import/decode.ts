/** The encodings an export may come in: UTF-8, or Windows' Western European code page (older French exports). */
export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export type Decoded = { text: string; encoding: Encoding; /** UTF-8 was tried first and the bytes were not valid UTF-8. */ fellBack: boolean };

/** windows-1252's 0x80–0x9F (where it differs from ISO-8859-1); the five unassigned bytes map to C1 controls, as browsers do. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * windows-1252 by table: some runtimes (Node before 22) take the label for ISO-8859-1 and
 * get the euro sign, curly quotes and "œ" wrong.
 */
function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...part).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  return out;
}

/** Decodes in the given encoding (a UTF-8 byte-order mark is dropped). */
export function decodeAs(bytes: Uint8Array, encoding: Encoding): string {
  return encoding === 'windows-1252' ? decodeCp1252(bytes) : new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** Decodes as UTF-8 when the bytes are valid UTF-8, as windows-1252 otherwise. */
export function decodeCsv(bytes: Uint8Array): Decoded {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8', fellBack: false };
  } catch {
    return { text: decodeCp1252(bytes), encoding: 'windows-1252', fellBack: true };
  }
}
