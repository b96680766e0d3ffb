/** What the editor starts from for a new rule: a valid threshold rule to adapt. */
export const NEW_RULE_YAML = `id: nouvelle-regle
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
`;
