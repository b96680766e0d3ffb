import { describe, expect, it } from 'vitest';
import { hasPlaceholders, renderTemplate } from './template.ts';

describe('renderTemplate', () => {
  it('fills names from a record or a lookup, keeps unknown ones visible', () => {
    expect(renderTemplate('{count} in {zone}', { count: 3, zone: 'Noailles' })).toBe('3 in Noailles');
    expect(renderTemplate('{count} in {zone} {typo}', (n) => (n === 'count' ? 4 : n === 'zone' ? 'Z' : undefined))).toBe('4 in Z {typo}');
    expect(renderTemplate('no placeholder', {})).toBe('no placeholder');
  });

  it('shows a time as the span before now with |ago', () => {
    const now = Date.parse('2026-11-28T21:00:00Z');
    expect(renderTemplate('out since {t|ago}', { t: '2026-11-28T18:00:00Z' }, now)).toBe('out since 3h');
    expect(renderTemplate('{t|ago}', { t: '2026-11-28T20:35:00Z' }, now)).toBe('25m');
    expect(renderTemplate('{t|ago}', { t: 'garbage' }, now)).toBe('garbage');
    expect(renderTemplate('{missing|ago}', {}, now)).toBe('{missing|ago}');
  });

  it('shows the first of several names that has a value, else the placeholder as written', () => {
    expect(renderTemplate('Arrêt {name|key}', { name: 'Noailles', key: 'rtm:NOA' })).toBe('Arrêt Noailles');
    expect(renderTemplate('Arrêt {name|key}', { key: 'rtm:NOA' })).toBe('Arrêt rtm:NOA');
    expect(renderTemplate('Arrêt {name|key}', { name: '', key: 'rtm:NOA' })).toBe('Arrêt rtm:NOA');
    expect(renderTemplate('Arrêt {name|key}', { name: '', key: '' })).toBe('Arrêt ');
    expect(renderTemplate('Arrêt {name|key}', { name: '' })).toBe('Arrêt ');
    expect(renderTemplate('{name}', { name: '' })).toBe('');
    expect(renderTemplate('{a|b|c}', { c: 0 })).toBe('0');
    expect(renderTemplate('{a|b} {c}', {})).toBe('{a|b} {c}');
    const now = Date.parse('2026-11-28T21:00:00Z');
    expect(renderTemplate('since {a|b|ago}', { b: '2026-11-28T19:00:00Z' }, now)).toBe('since 2h');
    expect(renderTemplate('since {a|b|ago}', {}, now)).toBe('since {a|b|ago}');
  });

  it('says whether a template holds a placeholder', () => {
    expect(hasPlaceholders('Plain title')).toBe(false);
    expect(hasPlaceholders('')).toBe(false);
    expect(hasPlaceholders('{count}')).toBe(true);
    expect(hasPlaceholders('out since {fault.time|ago}')).toBe(true);
    expect(hasPlaceholders('{a|b} left')).toBe(true);
    expect(hasPlaceholders('not {a placeholder}')).toBe(false);
  });
});
