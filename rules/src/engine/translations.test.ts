import { describe, expect, it } from 'vitest';
import { sameDetection } from '../language/detection.ts';
import { parseRule } from '../language/parse.ts';
import { engineWith, ev, IN_A } from '../testing/fixtures.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
const MIN = 60_000;

const RULE = `id: cluster
title: "{count} vols en {window} ({zone})"
severity: high
kind: threshold
where: { type: "incident.*" }
groupBy: source
window: 10m
count: { gte: 2 }
actions: ["Patrouille vers {zone}", "Prévenir le CSU"]
translations:
  en:
    title: "{count} thefts in {window} ({zone})"
    actions: ["Patrol to {zone}", "Tell the CCTV centre"]
  it:
    title: "{count} furti ({zone})"
`;

describe('translations of a rule\'s wording', () => {
  it('fill every language\'s title and actions as the rule\'s own, each saying "no zone" its way', () => {
    const engine = engineWith([RULE]);
    engine.ingest(ev('incident.theft', T0, { location: IN_A }));
    const [inA] = engine.ingest(ev('incident.theft', T0 + MIN, { location: IN_A }));
    expect(inA).toMatchObject({ kind: 'fired', title: '2 vols en 10 min (Zone A)', actions: ['Patrouille vers Zone A', 'Prévenir le CSU'] });
    expect(inA!.translations).toEqual({
      en: { title: '2 thefts in 10 min (Zone A)', actions: ['Patrol to Zone A', 'Tell the CCTV centre'] },
      // No actions of its own: none (its readers get the rule's own, not French filled in Italian).
      it: { title: '2 furti (Zone A)' },
    });
    const [updated] = engine.ingest(ev('incident.theft', T0 + 2 * MIN));
    expect(updated).toMatchObject({ kind: 'updated', title: '3 vols en 10 min (hors zone)' });
    expect(updated!.translations!.en!.title).toBe('3 thefts in 10 min (outside any zone)');
    expect(updated!.translations!.en!.actions).toEqual(['Patrol to outside any zone', 'Tell the CCTV centre']);
    expect(updated!.translations!.it).toEqual({ title: '3 furti (hors zone)' });
  });

  it('are absent from the alerts of a rule without any', () => {
    const engine = engineWith([RULE.slice(0, RULE.indexOf('translations:'))]);
    engine.ingest(ev('incident.theft', T0));
    const [fired] = engine.ingest(ev('incident.theft', T0 + MIN));
    expect(fired).toMatchObject({ kind: 'fired', title: '2 vols en 10 min (hors zone)' });
    expect(fired).not.toHaveProperty('translations');
  });

  it('are of other languages than the rule\'s own French', () => {
    const r = parseRule(RULE.replace('  it:', '  fr:'));
    expect(r.ok ? [] : r.errors.map((e) => [e.field, e.reason])).toEqual([['translations.fr', { key: 'translation_own' }]]);
  });

  it('are wording: a new translation keeps the rule\'s state', () => {
    const a = parseRule(RULE), b = parseRule(RULE.replace('Tell the CCTV centre', 'Call the CCTV centre'));
    expect(a.ok && b.ok && sameDetection(a.rule, b.rule)).toBe(true);
  });
});
