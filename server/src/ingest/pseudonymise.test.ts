import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, Pseudonymiser } from './pseudonymise.ts';

const p = new Pseudonymiser('a-test-key-of-32-characters-long', 'k1');

describe('Pseudonymiser', () => {
  it('replaces personal attributes with keyed pseudonyms, stable per value', () => {
    const out = p.apply({ id: '1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:00:00Z', attributes: { plate: 'AB-123-CD', injured: 1, lampId: 'LUM-1' } });
    expect(out.attributes!.plate).toMatch(/^ps:k1:[0-9a-f]{32}$/);
    expect(out.attributes!.plate).toBe(p.pseudonym('ab-123-cd '));
    expect(out.attributes).toMatchObject({ injured: 1, lampId: 'LUM-1' });
    expect(new Pseudonymiser('another-key-of-32-characters-lon', 'k2').pseudonym('AB-123-CD')).not.toBe(out.attributes!.plate);
  });

  it('knows personal attributes by their French names too, whatever their case, accents or separators; a deployment adds its own', () => {
    const attributes = { nom: 'Dupont', 'Prénom': 'Jean', telephone: '06 12 34 56 78', Immatriculation: 'AB-123-CD', nom_prenom: 'Jean Dupont', 'date-naissance': '1980-01-02', courriel: 'j@d.fr', matricule: 'M-4521' };
    const out = p.apply({ id: '1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:00:00Z', attributes });
    for (const k of Object.keys(attributes).filter((k) => k !== 'matricule')) expect(String(out.attributes![k])).toMatch(/^ps:k1:/);
    expect(out.attributes!.matricule).toBe('M-4521');
    const local = new Pseudonymiser('a-test-key-of-32-characters-long', 'k1', [], ['matricule']);
    expect(String(local.apply({ id: '1', source: 'csu', type: 'x.y', time: '2026-11-28T21:00:00Z', attributes: { Matricule: 'M-4521' } }).attributes!.Matricule)).toMatch(/^ps:k1:/);
  });

  it('scrubs the text of other attributes as free text, and identifiers of what is certainly personal only', () => {
    const out = p.apply({ id: '1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:00:00Z', attributes: {
      note: 'rappeler 06 12 34 56 78 ou jean.dupont@example.fr, véhicule 1234 ABC 13', contact: '0612345678', sender: 'jean.dupont@example.fr', vu: 'AB-123-CD',
      lampId: 'LUM-1234', tripId: '12AB34', line: '83', stopId: 'RTM:StopPoint:1234AB13', count: 3,
    } });
    expect(out.attributes).toEqual({
      note: 'rappeler [phone] ou [email], véhicule [plate]', contact: '[phone]', sender: '[email]', vu: '[plate]',
      lampId: 'LUM-1234', tripId: '12AB34', line: '83', stopId: 'RTM:StopPoint:1234AB13', count: 3,
    });
  });

  it('scrubs phones, e-mails and plates from free text', () => {
    const text = 'Appel de M. X au 06 12 34 56 78 (+33 6.12.34.56.78), jean.dupont@mail.fr, véhicule AB-123-CD puis 1234 ABC 13. Bus 21 ligne 83.';
    const out = p.scrubText(text);
    expect(out).toBe('Appel de M. X au [phone] ([phone]), [email], véhicule [plate] puis [plate]. Bus 21 ligne 83.');
  });

  it('hmacSha256 gives the digest createHmac gives, for any key and text', () => {
    const keys = ['k', 'a-test-key-of-32-characters-long', 'x'.repeat(64), 'y'.repeat(65), `clé-${'é'.repeat(40)}`];
    for (const key of keys) {
      const h = hmacSha256(key);
      for (const text of ['', 'AB-123-CD', 'É🚓\u0000', 'z'.repeat(5000)]) expect(h(text)).toBe(createHmac('sha256', key).update(text).digest('hex'));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 300 }), (key, text) => {
      expect(hmacSha256(key)(text)).toBe(createHmac('sha256', key).update(text).digest('hex'));
    }), { numRuns: 2000 });
  });

  it('apply leaves its input as it was; applyInPlace changes the event itself, the same way', () => {
    const make = () => ({ id: '1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:00:00Z', attributes: { Plate: 'AB-123-CD', phone: '0612345678', n: 1 }, text: 'au 06 12 34 56 78' });
    const input = make();
    const copied = p.apply(input);
    expect(input).toEqual(make());
    const e = make();
    const out = p.applyInPlace(e);
    expect(out).toBe(e);
    expect(out).toEqual(copied);
    expect(Object.keys(out.attributes!)).toEqual(['Plate', 'phone', 'n']);
    expect(out.attributes!.Plate).toMatch(/^ps:k1:/);
    expect(out.text).toBe('au [phone]');
  });
});
