import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePreviousKeys } from './keyring.ts';
import { Pseudonymiser } from './pseudonymise.ts';
import { Sealer } from './seal.ts';

const KEY = 'the-real-secret-key-outside-the-db';

/** Letters allowed on French plates (SIV: no I, O, U). */
const SIV_LETTERS = 'ABCDEFGHJKLMNPQRSTVWXYZ';

/**
 * Every French plate of the formats below, restricted to a slice that contains the true plate
 * (the full SIV space is 23⁴ × 999 ≈ 280 million: the same argument, just longer).
 */
function* frenchPlates(): Generator<string> {
  // SIV (since 2009): AA-123-AA, with the first pair fixed to keep the test short.
  for (const c of SIV_LETTERS) for (const d of SIV_LETTERS) for (let n = 1; n <= 999; n++) yield `AB-${String(n).padStart(3, '0')}-${c}${d}`;
  // FNI (before 2009): 1 to 4 digits, 1 to 3 letters, a department (here 13).
  for (const l of ['A', 'AB', 'ABC']) for (let n = 1; n <= 9999; n++) yield `${n} ${l} 13`;
  // Temporary W garage plates: W-123-AA.
  for (const c of SIV_LETTERS) for (let n = 1; n <= 999; n++) yield `W-${String(n).padStart(3, '0')}-A${c}`;
}

describe('pseudonyms and keys', () => {
  const p = new Pseudonymiser(KEY, 'k2', parsePreviousKeys('k1=an-older-key-now-rotated-out'));
  const truth = 'AB-123-CD';
  const stored = p.pseudonym(truth);

  it('enumerating every French plate format links nothing back without the key, and only the key finds it', () => {
    const hex = stored.split(':')[2]!;
    // What an attacker without the key can compute: plain hashes, HMACs with guessable keys, another deployment's key.
    const guesses = [
      (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 32),
      (v: string) => createHash('sha256').update(v.toUpperCase()).digest('hex').slice(0, 32),
      (v: string) => createHmac('sha256', '').update(v.toUpperCase()).digest('hex').slice(0, 32),
      (v: string) => createHmac('sha256', 'vigie-demo-pseudonym-key-not-secret').update(v.toUpperCase()).digest('hex').slice(0, 32),
      (v: string) => createHmac('sha256', 'k2').update(v.toUpperCase()).digest('hex').slice(0, 32),
    ];
    let tried = 0, linked = 0, withKey: string[] = [];
    for (const plate of frenchPlates()) {
      tried++;
      for (const g of guesses) if (g(plate) === hex) linked++;
      if (tried % 50 === 0 || plate === truth) { if (p.pseudonym(plate) === stored) withKey.push(plate); }
    }
    expect(tried).toBeGreaterThan(500_000);
    expect(linked).toBe(0);
    // Control: with the key, the same enumeration does find the plate, so the search was able to.
    expect(withKey).toEqual([truth]);
  }, 120_000); // some 3 million hashes: CPU-bound, slow on a shared 2-core machine

  it('tags pseudonyms with the key id and still recognises values after a rotation', () => {
    expect(Pseudonymiser.keyIdOf(stored)).toBe('k2');
    const before = new Pseudonymiser('an-older-key-now-rotated-out', 'k1').pseudonym(truth);
    expect(p.pseudonyms(truth)).toEqual([stored, before]);
    expect(stored).not.toBe(before);
  });

  it('refuses a malformed previous-keys setting, naming the entry by its position (never its text)', () => {
    expect(() => parsePreviousKeys('k1:short')).toThrow(/^item 1: expected id=key/);
    // Never the entry itself: it may hold a key.
    expect(() => parsePreviousKeys('k1=0123456789abcdef,k2=secret')).toThrow(/^item 2: /);
    expect(() => parsePreviousKeys('k1=0123456789abcdef,k2=secret')).not.toThrow(/secret/);
    expect(parsePreviousKeys(' a=0123456789abcdef , b=fedcba9876543210')).toEqual([{ id: 'a', key: '0123456789abcdef' }, { id: 'b', key: 'fedcba9876543210' }]);
  });

  it('seals dead-letter payloads so the database never holds them in clear, readable after a rotation', () => {
    const old = new Sealer(new Pseudonymiser('an-older-key-now-rotated-out', 'k1').keyring);
    const sealed = old.seal(Buffer.from('Témoin au 06 12 34 56 78'));
    expect(sealed).not.toContain('06 12');
    expect(new Sealer(p.keyring).unseal(sealed).toString()).toBe('Témoin au 06 12 34 56 78');
    expect(() => new Sealer(new Pseudonymiser(KEY, 'k2').keyring).unseal(sealed)).toThrow(/k1/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => new Sealer(p.keyring).unseal(tampered)).toThrow();
  });
});
