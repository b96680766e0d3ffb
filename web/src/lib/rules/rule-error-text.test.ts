import { describe, expect, it } from 'vitest';
import { ruleDiagnostics } from './rule-language.ts';

const BASE = 'id: a\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: incident.theft }\n';

describe("a rule's mistakes in the console's language", () => {
  it('says a duration, an unknown field, a closed list and unreadable YAML in French, the field first', () => {
    const fr = (text: string) => ruleDiagnostics(text, 'fr').map((d) => d.message);
    expect(fr(`${BASE}groupBy: zone\nwindow: 10 minutes\ncount: { gte: 3 }\n`)).toEqual(['window\u00a0: une durée comme 30s, 10m, 2h ou 1d (s, m pour minutes, h, d pour jours)']);
    expect(fr(`${BASE}groupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nseverty: high\n`)).toEqual(['severty\u00a0: champ inconnu']);
    expect(fr('id: a\ntitle: T\nseverity: loud\nkind: match\n')[0]).toMatch(/^severity\u00a0: une valeur parmi\u00a0: info, low, medium, high, critical$/);
    expect(fr('id: a\n\ttitle: T\n')[0]).toMatch(/^YAML illisible ici \(.+\)$/);
  });

  it('keeps English for English, and a filter check without a reason as the engine says it', () => {
    expect(ruleDiagnostics(`${BASE}groupBy: zone\nwindow: 10 minutes\ncount: { gte: 3 }\n`, 'en')[0]!.message).toBe('window: a duration such as 30s, 10m, 2h or 1d');
    expect(ruleDiagnostics('id: a\ntitle: T\nseverity: low\nkind: match\nwhere: { field: type, op: nope }\n', 'fr')[0]!.message).toMatch(/^where\.op\u00a0: unknown operator "nope"/);
  });
});
