import type { Lang } from '../i18n/translate.ts';

/** The first line of the template, in the console's language: where the rule's words go. */
const HEADER: Record<Lang, string> = {
  fr: '# Les textes d’une règle sont en français\u00a0; «\u00a0translations\u00a0» les donne dans d’autres langues.',
  en: '# A rule\'s own words are French (the city\'s language); "translations" gives them in other languages.',
};

const BODY = `id: nouvelle-regle
title: "Nouvelle règle — {zone}"
description: Ce que la règle cherche, en une phrase.
severity: medium
kind: threshold
where: { type: "incident.*" }
groupBy: "zone:sector"
window: 30m
count: { gte: 3 }
actions:
  - "Vérifier les caméras du secteur"
translations:
  en:
    title: "New rule — {zone}"
    description: What the rule looks for, in one sentence.
    actions:
      - "Check the area's cameras"
`;

/** What the editor starts from for a new rule: a valid threshold rule to adapt, its own words French and English beside them. */
export function newRuleYaml(lang: Lang): string {
  return `${HEADER[lang]}\n${BODY}`;
}

/** Whether `text` is the template untouched (in either language: switching the console's language changes nothing of it). */
export function isNewRuleTemplate(text: string): boolean {
  return (Object.keys(HEADER) as Lang[]).some((lang) => text === newRuleYaml(lang));
}
