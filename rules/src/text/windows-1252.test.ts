import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from './windows-1252.ts';

describe('Windows-1252', () => {
  it('reads 0x80–0x9F as the code page has them, the rest as ISO-8859-1', () => {
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x92, 0x9c, 0xe9, 0x41]))).toBe('€’œéA');
    expect(decodeWindows1252(Uint8Array.from([0x81]))).toBe('\u0081'); // unassigned
  });

  it('reads a large file whole', () => {
    expect(decodeWindows1252(new Uint8Array(100_000).fill(0xe9))).toBe('é'.repeat(100_000));
  });
});
