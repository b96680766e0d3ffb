import { describe, expect, it } from 'vitest';
import { alertRef } from './alert-ref.ts';

describe('alertRef', () => {
  it('is the first six hexadecimal digits of the id, upper case', () => {
    expect(alertRef('3f9a2c71-0b4e-4c1d-9a55-2f6f0e1d2c3b')).toBe('3F9A2C');
    expect(alertRef('ab-cd-ef-12')).toBe('ABCDEF');
  });
});
