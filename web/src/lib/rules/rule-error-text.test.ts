import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { errorText } from '../api/error-text.ts';
import { ruleDiagnostics } from './rule-language.ts';

const BASE = 'id: a\ntitle: T\nseverity: low\nkind: threshold\nwhere: { type: incident.theft }\n';
const MATCH = 'id: a\ntitle: T\nseverity: low\nkind: match\n';
const fr = (text: string) => ruleDiagnostics(text, 'fr').map((d) => d.message);
/** Words an English sentence of the engine would leave in a French message. */
const ENGLISH = /\b(takes|needs|unknown|a filter|stands alone|the YAML|cannot|is outside|is not|used twice|give exactly|Tabs|Missing|Map keys|must be)\b/;

describe("a rule's mistakes in the console's language", () => {
  it('says a duration, an unknown field, a closed list and unreadable YAML in French, the field first', () => {
    expect(fr(`${BASE}groupBy: zone\nwindow: 10 minutes\ncount: { gte: 3 }\n`)).toEqual(['window\u00a0: une durée comme 30s, 10m, 2h ou 1d (s, m pour minutes, h, d pour jours), plus de 0 et au plus 366d']);
    expect(fr(`${BASE}groupBy: zone\nwindow: 10m\ncount: { gte: 3 }\nseverty: high\n`)).toEqual(['severty\u00a0: champ inconnu']);
    expect(fr('id: a\ntitle: T\nseverity: loud\nkind: match\n')[0]).toMatch(/^severity\u00a0: une valeur parmi\u00a0: info, low, medium, high, critical$/);
  });

  it("says the YAML library's own errors in French, not its English details", () => {
    expect(fr('id: a\n\ttitle: T\n')).toEqual(['YAML illisible ici\u00a0: une tabulation sert d’indentation\u00a0: indentez avec des espaces']);
    expect(fr('id: a\ntitle: "T\n')[0]).toBe('YAML illisible ici\u00a0: il manque un caractère fermant (guillemet, crochet ou accolade)');
    expect(fr(`${MATCH}severity: high\n`)[0]).toBe('YAML illisible ici\u00a0: cette clé figure deux fois dans le même bloc');
    expect(fr(`${MATCH}where: { type: a\n`)[0]).toMatch(/^YAML illisible ici\u00a0: indentation incorrecte/);
    expect(fr('id: a\ntitle: *x\nseverity: low\nkind: match\n')[0]).toMatch(/^YAML illisible ici\u00a0: alias inconnu/);
    for (const text of ['id: a\n  title: b\n', 'title: @x\n', 'title: "a\\q"\n', 'title: T\n---\nid: b\n', '- a\n']) {
      for (const m of fr(text)) expect(m, text).not.toMatch(ENGLISH);
    }
  });

  it("says a filter's and a schedule's own checks in French", () => {
    const where = (w: string) => fr(`${MATCH}where: ${w}\n`);
    expect(where('{ field: type, op: nope }')).toEqual([`where.op\u00a0: une valeur parmi\u00a0: eq, ne, in, nin, gt, gte, lt, lte, glob, contains, exists, inZone, withinMeters, hourBetween, dayOfWeek`]);
    expect(where('{ field: severity, op: gt, value: x }')).toEqual(['where.value\u00a0: gt prend un nombre']);
    expect(where('{ op: in, value: [1] }')).toEqual(['where.field\u00a0: l’opérateur in demande un champ (field)']);
    expect(where('{ field: type, op: eq, value: a, extra: 1 }')).toEqual(['where.extra\u00a0: clé «\u00a0extra\u00a0» inconnue dans une condition (field, op, value)']);
    expect(where('{ all: [] }')).toEqual(['where.all\u00a0: «\u00a0all\u00a0» prend une liste non vide de filtres']);
    expect(where('{ type: "incident\\\\.(a|b)" }')[0]).toMatch(/^where\.type\u00a0: «\u00a0incident\\\.\(a\|b\)\u00a0» ne peut jamais être un type d’événement/);
    expect(where('{ op: dayOfWeek, value: [funday] }')).toEqual(['where.value\u00a0: dayOfWeek prend une liste de jours\u00a0: mon..sun ou 1..7 (lundi = 1)']);
    expect(fr(`${MATCH}activeDuring: { cron: "* 25 * * *" }\n`)).toEqual(['activeDuring.cron\u00a0: heure\u00a0: «\u00a025\u00a0» sort de 0 à 23']);
    expect(fr(`${MATCH}activeDuring: { cron: "* * * * fri" }\n`)).toEqual(['activeDuring.cron\u00a0: jour de la semaine\u00a0: «\u00a0fri\u00a0» n’est ni un nombre, ni un intervalle a-b, ni *, ni un pas /n']);
    expect(fr(`${MATCH}activeDuring: { cron: "18-23" }\n`)[0]).toMatch(/^activeDuring\.cron\u00a0: un horaire a cinq champs/);
    expect(fr('id: a\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: zone\nwindow: 10m\n')).toEqual(['count\u00a0: indiquez une seule mesure\u00a0: count: {gte}, sum: {field, gte} ou distinct: {field, gte}']);
    const steps = 'steps:\n  - { as: x, where: { type: a } }\n  - { as: x, where: { type: b } }\nwithin: 1h\n';
    expect(fr(`id: a\ntitle: T\nseverity: low\nkind: sequence\n${steps}`)).toEqual(['steps.1.as\u00a0: le nom d’étape «\u00a0x\u00a0» est déjà utilisé']);
    for (const w of ['[a]', '{}', '{ not: { type: a }, type: b }', '{ colour: red }', '{ type: { a: 1 } }', '{ op: withinMeters, value: 3 }', '{ op: inZone, value: [] }', '{ op: hourBetween, value: [1] }', '{ field: type, op: exists, value: 2 }']) {
      const said = where(w);
      expect(said.length, w).toBeGreaterThan(0);
      for (const m of said) expect(m, w).not.toMatch(ENGLISH);
    }
  });

  it("words a refusal from the server (its reasons) in French too, line first", () => {
    const refused = new ApiError(400, 'VIGIE_RULE_INVALID', 'where.value: gt takes a number', {
      errors: [{ line: 5, column: 42, field: 'where.value', message: 'gt takes a number', reason: { key: 'op_value', op: 'gt' } }],
    });
    expect(errorText('fr', refused)).toMatch(/ligne 5, colonne 42 — where\.value\u00a0: gt prend un nombre$/);
  });

  it('keeps English for English, and the engine’s message for a reason this console does not know', () => {
    expect(ruleDiagnostics(`${BASE}groupBy: zone\nwindow: 10 minutes\ncount: { gte: 3 }\n`, 'en')[0]!.message).toBe('window: a duration such as 30s, 10m, 2h or 1d: more than 0, at most 366d');
    expect(ruleDiagnostics(`${MATCH}where: { field: severity, op: gt, value: x }\n`, 'en')[0]!.message).toBe('where.value: gt takes a number');
    const newer = new ApiError(400, 'VIGIE_RULE_INVALID', 'x', { errors: [{ line: 1, column: 1, field: 'x', message: 'something new', reason: { key: 'from_the_future' } }] });
    expect(errorText('fr', newer)).toMatch(/x\u00a0: something new$/);
  });
});
