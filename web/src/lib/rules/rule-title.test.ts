import { describe, expect, it } from 'vitest';
import { ruleTitleText } from './rule-title.ts';

describe('ruleTitleText', () => {
  it('is the title without the template\'s placeholders, for lists of rules', () => {
    expect(ruleTitleText('Afflux en sortie de match — {zone}')).toBe('Afflux en sortie de match');
    expect(ruleTitleText('Flux silencieux : {key}')).toBe('Flux silencieux');
    expect(ruleTitleText('{count} signalements en {window} — {zone}')).toBe('… signalements en …');
    expect(ruleTitleText('{zone}')).toBe('{zone}');
    expect(ruleTitleText('Accident grave')).toBe('Accident grave');
  });

  it('keeps a fallback placeholder out as well', () => {
    expect(ruleTitleText('Arrêt non desservi ({event.attributes.stopName|key}) — {count} courses')).toBe('Arrêt non desservi (…) — … courses');
  });
});
