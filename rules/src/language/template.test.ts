import { describe, expect, it } from 'vitest';
import { renderTemplate } from './template.ts';

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
});
