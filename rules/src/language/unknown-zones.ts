import type { RuleDefinition } from './rule-schema.ts';

/** What the check needs of a city's zone: its id, and its kind and tags when it has them. */
export type ZoneRef = { id: string; kind?: string; tags?: readonly string[] };

/**
 * The zones a rule names (its `zones` block and every `inZone` of its filters, under `all`,
 * `any`, `not`, a sequence's steps or its `unless`) that the city does not have: such a rule
 * never fires (an id mistyped, a zone not imported yet). A `tag:<name>` counts when some zone
 * has the tag; a `groupBy: zone:<kind>` is named when no zone is of that kind (the rule groups
 * nothing), unless the city has no zone with a kind at all. Each name once, in the rule's order.
 */
export function unknownZones(rule: RuleDefinition, zones: readonly ZoneRef[]): string[] {
  const ids = new Set(zones.map((z) => z.id)), tags = new Set(zones.flatMap((z) => z.tags ?? []));
  const named: string[] = [...(rule.zones ?? [])];
  const groupBy = 'groupBy' in rule ? rule.groupBy : undefined;
  const kinds = new Set(zones.flatMap((z) => (z.kind ? [z.kind] : [])));
  if (groupBy?.startsWith('zone:') && kinds.size && !kinds.has(groupBy.slice(5))) named.push(groupBy);
  const walk = (f: unknown): void => {
    if (Array.isArray(f)) return f.forEach(walk);
    if (!f || typeof f !== 'object') return;
    const o = f as Record<string, unknown>;
    if (o.op === 'inZone') named.push(...(Array.isArray(o.value) ? o.value : [o.value]).map(String));
    for (const k of ['all', 'any', 'not', 'where', 'unless', 'steps', 'first', 'then']) if (k in o) walk(o[k]);
  };
  walk(rule);
  const known = (z: string) => (z.startsWith('tag:') ? tags.has(z.slice(4)) : z === groupBy ? false : ids.has(z));
  return [...new Set(named.filter((z) => !known(z)))];
}
