import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { parseLang, translate } from './translate.ts';

describe('translate', () => {
  it('uses French by default and English on request', () => {
    expect(translate('fr', 'queue.empty')).toBe('Aucune alerte active');
    expect(translate('en', 'queue.empty')).toBe('No active alert');
  });

  it('replaces placeholders and leaves unknown ones as they are', () => {
    expect(translate('en', 'connection.reconnecting', { time: '21:14:05' })).toBe(
      'Reconnecting since 21:14:05',
    );
    expect(translate('fr', 'alert.count', { n: 3 })).toBe('×3');
    expect(translate('en', 'feeds.summary', { ok: 4 })).toBe('Feeds 4/{total}');
  });

  it('does not read placeholders from the prototype', () => {
    expect(translate('en', 'map.vehicle', {})).toBe('Vehicle {id}');
    expect(translate('en', 'map.vehicle', { id: 'toString' })).toBe('Vehicle toString');
  });
});

describe('dictionaries', () => {
  it('have the same keys and no empty message', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const value of [...Object.values(fr), ...Object.values(en)]) expect(value.trim()).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });
});

describe('parseLang', () => {
  it('accepts known languages and falls back to French', () => {
    expect(parseLang('en')).toBe('en');
    expect(parseLang('fr')).toBe('fr');
    expect(parseLang('de')).toBe('fr');
    expect(parseLang(null)).toBe('fr');
  });
});
