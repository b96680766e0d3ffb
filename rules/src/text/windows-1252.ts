/** Windows-1252's characters at 0x80–0x9F (where ISO-8859-1 has control codes); the five it leaves unassigned stay C1 controls, as browsers have them. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Bytes as Windows-1252 text (what a French spreadsheet saves "CSV" in; the labels latin1,
 * iso-8859-1 and ascii mean it too), by table: some runtimes (Node before 22) read the label
 * as ISO-8859-1 and get the euro sign, typographic quotes and "œ" wrong.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...part).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  return out;
}
