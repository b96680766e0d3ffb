import { describe, expect, it } from 'vitest';
import { copyField, CopyTextBuffer } from './copy-text.ts';

describe('COPY text format', () => {
  it('escapes the characters COPY reads as separators or escapes, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('{"text":"ligne 1\\nligne 2 \\"é\\""}')).toBe('{"text":"ligne 1\\\\nligne 2 \\\\"é\\\\""}');
    expect(copyField('plain é € 🚨')).toBe('plain é € 🚨');
  });

  it('writes null as \\N, a number as JavaScript prints it, and refuses what is not a finite number', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N'); // the text "\N", not null
    expect(copyField(43.296482)).toBe('43.296482');
    expect(copyField(1e-7)).toBe('1e-7');
    expect(() => copyField(Number.NaN)).toThrow(RangeError);
  });

  it('encodes pieces into one UTF-8 buffer, growing past the size it expected', () => {
    const pieces = ['a\t', 'é€🚨'.repeat(50), '\n', 'x'.repeat(1000), '', '🚨'];
    const text = new CopyTextBuffer(10);
    for (const p of pieces) text.write(p);
    expect(text.bytes().equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });
});
