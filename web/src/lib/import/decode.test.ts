import { describe, expect, it } from 'vitest';
import { decodeAs, decodeCsv } from './decode.ts';

describe('decodeCsv', () => {
  it('reads UTF-8 (dropping a byte-order mark)', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('nature\nDégradation\n')]);
    expect(decodeCsv(bytes)).toEqual({ text: 'nature\nDégradation\n', encoding: 'utf-8', fellBack: false });
  });

  it('falls back to windows-1252 when the bytes are not valid UTF-8', () => {
    // "Dégradation" and "€" as Excel's French CSV export writes them.
    const bytes = new Uint8Array([0x44, 0xe9, 0x67, 0x72, 0x61, 0x64, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x3b, 0x80]);
    expect(decodeCsv(bytes)).toEqual({ text: 'Dégradation;€', encoding: 'windows-1252', fellBack: true });
  });

  it('maps windows-1252 characters that ISO-8859-1 lacks (œ, ’, …) and reads long files', () => {
    const bytes = new Uint8Array([0x9c, 0x92, 0x85, 0x96, 0xe0]);
    expect(decodeCsv(bytes).text).toBe('œ’…–à');
    const big = new Uint8Array(100_000).fill(0xe9);
    expect(decodeCsv(big).text).toBe('é'.repeat(100_000));
  });

  it('pure ASCII is UTF-8', () => {
    expect(decodeCsv(new TextEncoder().encode('a;b')).encoding).toBe('utf-8');
  });

  it('decodes in an encoding chosen by hand', () => {
    expect(decodeAs(new TextEncoder().encode('é'), 'windows-1252')).toBe('Ã©');
  });
});
