import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { formatNumber, parseLang, translate } from './translate.ts';

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

  it('writes a number in a placeholder as the language writes numbers, a text as it is given', () => {
    expect(translate('fr', 'error.size.bytes', { n: 12345 })).toBe('12\u202f345\u00a0octets');
    expect(translate('en', 'error.size.bytes', { n: 12345 })).toBe('12,345 bytes');
    expect(translate('fr', 'error.size.mib', { n: 1.5 })).toBe('1,5\u00a0Mio');
    expect(translate('en', 'error.size.mib', { n: 1.5 })).toBe('1.5 MiB');
    expect(translate('fr', 'feeds.configs.every', { n: 3600 })).toBe('toutes les 3\u202f600\u00a0s');
    expect(translate('fr', 'error.size.bytes', { n: 999 })).toBe('999\u00a0octets');
    // Ids, versions, line numbers, statuses, years: given as text, kept as they are.
    expect(translate('fr', 'error.size.bytes', { n: '12345' })).toBe('12345\u00a0octets');
    expect(translate('fr', 'rules.editor.errorAt', { line: String(1234) })).toBe('Ligne 1234');
    expect(translate('en', 'error.http', { status: String(502) })).toBe('Unexpected answer from the server (HTTP 502)');
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
    // A plural form's text (`one {record}`) is not a placeholder.
    const placeholders = (s: string) => [...new Set([...s.replace(/(?:\b(?:zero|one|two|few|many|other)|=\d+)\s*\{/g, '(').matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });
});

describe('plural forms', () => {
  it('choose the form for the count: French 0 and 1 singular, English only 1', () => {
    expect(translate('fr', 'import.reason.too_short', { limit: 1 })).toBe('au moins 1 caractère');
    expect(translate('fr', 'import.reason.too_short', { limit: 0 })).toBe('au moins 0 caractère');
    expect(translate('fr', 'import.reason.too_short', { limit: 2 })).toBe('au moins 2 caractères');
    expect(translate('en', 'import.reason.too_short', { limit: 1 })).toBe('at least 1 character');
    expect(translate('en', 'import.reason.too_short', { limit: 0 })).toBe('at least 0 characters');
    expect(translate('fr', 'escalation.notice', { n: 1 })).toBe('1 alerte escaladée faute de prise en compte');
    expect(translate('fr', 'escalation.notice', { n: 3 })).toBe('3 alertes escaladées faute de prise en compte');
  });

  it('take a form for one count exactly (=0) before the language\'s categories', () => {
    expect(translate('fr', 'silence.done', { held: 0 })).toBe('Silence enregistré\u00a0: les nouvelles alertes concernées seront mises de côté.');
    expect(translate('fr', 'silence.done', { held: 1 })).toBe('Silence enregistré\u00a0: 1 alerte active mise de côté, et les nouvelles concernées le seront.');
    expect(translate('en', 'silence.done', { held: 3 })).toBe('Silence saved: 3 active alerts held back, and new matching ones will be.');
  });

  it('mix with placeholders, several counts in one message, and counts given as formatted text', () => {
    expect(translate('fr', 'calendar.imported', { imported: 1, updated: 0, rejected: 2 })).toBe('1 importé, 0 mis à jour, 2 refusés');
    expect(translate('fr', 'import.run.start', { n: '1' })).toBe('Importer 1 enregistrement');
    expect(translate('fr', 'import.run.start', { n: '12\u202f000' })).toBe('Importer 12\u202f000 enregistrements');
    expect(translate('fr', 'import.preview.summary', { ok: 1, n: 1 })).toBe('1 enregistrement reconnu sur le premier');
    // A count left out keeps the message as it is, like any placeholder.
    expect(translate('fr', 'escalation.notice', {})).toContain('{n, plural,');
  });

  it('write a count given as a number as the language writes numbers, a count given as text as it is', () => {
    expect(translate('fr', 'feeds.imported.events', { n: 17999 })).toBe('17\u202f999 importés');
    expect(translate('fr', 'feeds.imported.events', { n: 1 })).toBe('1 importé');
    expect(translate('en', 'feeds.imported.eventsTitle', { n: 17999 })).toMatch(/^17,999 events stored/);
    expect(translate('en', 'feeds.imported.eventsTitle', { n: 1 })).toMatch(/^1 event stored/);
    expect(translate('fr', 'rules.backtest.summary', { alerts: 1234, events: 1_000_000, seconds: '0,5' })).toBe('1\u202f234 alertes sur 1\u202f000\u202f000 événements (en 0,5\u00a0s)');
    expect(translate('fr', 'import.run.start', { n: '12 000 (texte)' })).toBe('Importer 12 000 (texte) enregistrements');
  });

  it('leave no "(s)" in any message: a count always gets its plural form', () => {
    for (const [key, value] of [...Object.entries(fr), ...Object.entries(en)]) expect(value, key).not.toMatch(/\w\(s\)/);
  });
});

describe('French typography', () => {
  const french = Object.entries(fr);

  it('uses the typographic apostrophe (’), never the straight one between letters', () => {
    const straight = french.filter(([, v]) => /\p{L}'\p{L}/u.test(v)).map(([k]) => k);
    expect(straight).toEqual([]);
  });

  it('puts a non-breaking space, never a plain one, before ? ! : ; » and after «', () => {
    const breaking = french.filter(([, v]) => / [?!:;»]|« /.test(v)).map(([k]) => k);
    expect(breaking).toEqual([]);
  });

  it('keeps the question mark of a deletion on the title’s line', () => {
    expect(translate('fr', 'calendar.delete.title', { title: 'OM – Lens' })).toBe('Supprimer «\u00a0OM – Lens\u00a0»\u00a0?');
  });
});

describe('formatNumber', () => {
  it('groups thousands as each language does: a narrow no-break space in French, a comma in English', () => {
    expect(formatNumber('fr', 17999)).toBe('17\u202f999');
    expect(formatNumber('en', 17999)).toBe('17,999');
    expect(formatNumber('fr', 999)).toBe('999');
    expect(formatNumber('fr', 1.5)).toBe('1,5');
    expect(formatNumber('en', 1.5)).toBe('1.5');
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
