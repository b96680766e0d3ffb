import { describe, expect, it } from 'vitest';
import { parseRule } from './parse.ts';
import { describeConditions } from './describe-rule.ts';

function conditions(yaml: string) {
  const r = parseRule(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { en: describeConditions(r.rule, 'en'), fr: describeConditions(r.rule, 'fr') };
}

describe('describeConditions: the conditions an explanation lists, in English and French', () => {
  it('a threshold in zones, during the calendar: durations as a French reader reads them (not "10m", ten metres)', () => {
    const c = conditions('id: t\ntitle: T\nseverity: low\nkind: threshold\nwhere: { all: [ { type: "incident.*" }, { field: severity, op: gte, value: 3 } ] }\nzones: [a, b]\nactiveDuring: { calendar: match, phase: departure }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 5 }\n');
    expect(c.en).toEqual(['type matches incident.* and severity ≥ 3', 'in zones a, b', 'active during calendar match (departure)', 'at least 5 events within 10 min per zone']);
    expect(c.fr).toEqual(['type correspond à incident.* et gravité ≥ 3', 'dans les zones a, b', 'actif pendant le calendrier match (départ)', 'au moins 5 événements en 10 min par zone']);
  });

  it('a threshold that fires early says so', () => {
    const c = conditions('id: t\ntitle: T\nseverity: low\nkind: threshold\ngroupBy: zone\nwindow: 15m\ncount: { gte: 5 }\nearly: true\n');
    expect(c.fr.at(-1)).toBe('alerte dès l’arrivée des événements, sans attendre les retardataires');
    expect(c.en.at(-1)).toBe('fires as the events arrive, without waiting for late ones');
  });

  it('a sequence with unless, spatial and time conditions', () => {
    const c = conditions([
      'id: s', 'title: T', 'severity: high', 'kind: sequence', 'within: 7d', 'near: 200m',
      'steps:', '  - { as: first, where: { any: [ { type: burglary }, { op: hourBetween, value: [22, 6] } ] } }', '  - { as: again, where: { type: burglary } }',
      'unless: { where: { not: { attributes.solved: true } }, same: source }', '',
    ].join('\n'));
    expect(c.fr).toEqual([
      'tout événement',
      'first ((type = burglary ou entre 22 h et 6 h)) puis again (type = burglary) en 7 j, à moins de 200 m du premier',
      'sauf non (attributes.solved = true) avec la même valeur de source',
    ]);
    expect(c.en[1]).toBe('first ((type = burglary or between 22h and 6h)) then again (type = burglary) within 7 d, within 200 m of the first');
  });

  it('co-occurrence, anomaly and both absences', () => {
    expect(conditions('id: c\ntitle: T\nseverity: low\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\n').fr[1])
      .toBe('au moins 3 valeurs distinctes de source en 10 min et à moins de 300 m');
    expect(conditions('id: a\ntitle: T\nseverity: low\nkind: anomaly\ngroupBy: zone\nwindow: 1h\n').fr[1])
      .toMatch(/^nombre en 1 h par zone improbable au rythme habituel de cette heure de la semaine \(p < [\d,e-]+, au moins \d+\)$/);
    expect(conditions('id: f\ntitle: T\nseverity: low\nkind: absence\ngroupBy: source\nfor: 20m\n').fr[1]).toBe('aucun événement par source pendant 20 min');
    expect(conditions('id: q\ntitle: T\nseverity: low\nkind: absence\ngroupBy: source\nfor: auto\nminFor: 10m\n').fr[1])
      .toMatch(/^aucun événement par source plus longtemps que le rythme habituel ne le rend probable \(p < [\d,e-]+, au moins 10 min\)$/);
  });

  it('decimals and distances as each language writes them', () => {
    const a = conditions('id: a\ntitle: T\nseverity: low\nkind: anomaly\ngroupBy: zone\nwindow: 30m\npValue: 0.001\n');
    expect(a.fr[1]).toContain('(p < 0,001, au moins');
    expect(a.en[1]).toMatch(/^count within 30 min per zone .*\(p < 0\.001, at least/);
    const c = conditions('id: c\ntitle: T\nseverity: low\nkind: cooccurrence\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 1.5km\n');
    expect([c.fr[1], c.en[1]]).toEqual(['au moins 3 valeurs distinctes de source en 10 min et à moins de 1,5 km', 'at least 3 distinct source within 10 min and 1.5 km']);
    const spot = conditions('id: s\ntitle: T\nseverity: low\nkind: cooccurrence\nmin: 3\nwithin: 24h\nnear: 100m\n');
    expect([spot.fr[1], spot.en[1]]).toEqual(['au moins 3 événements en 24 h, à moins de 100 m du dernier', 'at least 3 events within 24 h, within 100 m of the latest']);
  });

  it('operators of the closed list, each in words', () => {
    const c = conditions('id: o\ntitle: T\nseverity: low\nkind: match\nwhere: { all: [ { field: source, op: nin, value: [x] }, { field: attributes.note, op: contains, value: feu }, { field: attributes.k, op: exists, value: false }, { op: inZone, value: z1 }, { op: dayOfWeek, value: [sat, sun] }, { op: withinMeters, value: { lat: 43.3, lon: 5.4, meters: 150 } } ] }\n');
    expect(c.fr[0]).toBe('source hors de [x] et attributes.note contient feu et sans attributes.k et dans la zone z1 et le [sat, sun] et à moins de 150 m de 43.3,5.4');
    expect(c.en[0]).toBe('source not in [x] and attributes.note contains feu and attributes.k is absent and in zone z1 and on [sat, sun] and within 150 m of 43.3,5.4');
  });
});
