import { describe, expect, it } from 'vitest';
import { parseSources, wallAddress } from './accounts.ts';

describe('parseSources', () => {
  it('reads names separated by commas, semicolons or spaces, once each; nothing means any source', () => {
    expect(parseSources('csu, rtm;csu  ap-hm')).toEqual(['csu', 'rtm', 'ap-hm']);
    expect(parseSources('  ')).toBeNull();
  });
});

describe('wallAddress', () => {
  it('puts the token in the query, encoded', () => {
    expect(wallAddress('https://vigie.example', 'a+b/c')).toBe('https://vigie.example/wall?token=a%2Bb%2Fc');
  });
});
