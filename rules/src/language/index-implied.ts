import type { RuleDefinition } from './rule-schema.ts';

/**
 * Whether a rule's whole test (`where`, `zones`, `activeDuring`) says no more than the engine's
 * rule index checks by itself: the event's type among the rule's `types` (a `where` that is the
 * short form `{ type: … }` alone, or no `where`) and its zones in the rule's `zones` block. An
 * event the index gives as a candidate for such a rule (its type and zones read against the
 * very zones the index resolved them with) is one the rule's filter accepts: the engine need
 * not run the filter again. Anything else (another condition, an `inZone` in `where`, a
 * schedule, a sequence's steps) keeps the filter.
 */
export function impliedByIndex(def: RuleDefinition, types: string[] | undefined): boolean {
  if (def.activeDuring || def.kind === 'sequence') return false;
  const where: unknown = def.where;
  if (where === undefined) return true;
  if (typeof where !== 'object' || where === null || Array.isArray(where)) return false;
  const keys = Object.keys(where);
  return keys.length === 1 && keys[0] === 'type' && types !== undefined;
}
