import type { Severity } from '../domain/alert.ts';
import type { EventContext } from '../engine/context.ts';
import { compileFilter, compileGetter, type Predicate } from './compile-filter.ts';
import { describeFilter } from './describe-filter.ts';
import { parseDuration } from './duration.ts';
import type { RuleDefinition } from './rule-schema.ts';

/** A rule ready to run: closures, durations in ms. */
export type CompiledRule = {
  id: string;
  version: number;
  kind: RuleDefinition['kind'];
  severity: Severity;
  title: string;
  actions: string[];
  definition: RuleDefinition;
  /** where + zones, as one predicate */
  accepts: Predicate;
  /** The keys an accepted event counts under (several when it lies in several zones). */
  keysOf: (e: EventContext) => string[];
  groupBy?: string;
  windowMs?: number;
  countGte?: number;
  suppressMs?: number;
  /** Plain-word description of what the rule looks for. */
  conditions: string[];
};

function compileKeys(groupBy: string | undefined): (e: EventContext) => string[] {
  if (!groupBy) return (e) => [`${e.event.source}/${e.event.id}`];
  if (groupBy === 'zone') return (e) => e.zones;
  if (groupBy.startsWith('zone:')) {
    const kind = groupBy.slice(5);
    return (e) => e.zones.filter((id) => e.cityZones.get(id)?.kind === kind);
  }
  const get = compileGetter(groupBy);
  return (e) => {
    const v = get(e);
    return v === undefined || v === null ? [] : [String(v)];
  };
}

function compileZones(zones: string[] | undefined): Predicate {
  if (!zones) return () => true;
  return compileFilter({ op: 'inZone', value: zones });
}

export function compileRule(def: RuleDefinition, version = 1): CompiledRule {
  const where = compileFilter(def.where);
  const inZones = compileZones(def.zones);
  const conditions = [describeFilter(def.where)];
  if (def.zones) conditions.push(`in zones ${def.zones.join(', ')}`);
  const base: CompiledRule = {
    id: def.id,
    version,
    kind: def.kind,
    severity: def.severity,
    title: def.title,
    actions: def.actions,
    definition: def,
    accepts: def.zones ? (e) => where(e) && inZones(e) : where,
    keysOf: compileKeys(def.groupBy),
    groupBy: def.groupBy,
    suppressMs: def.suppress ? parseDuration(def.suppress) : undefined,
    conditions,
  };
  if (def.kind === 'threshold') {
    base.windowMs = parseDuration(def.window);
    base.countGte = def.count.gte;
    conditions.push(`at least ${def.count.gte} within ${def.window} per ${def.groupBy}`);
  }
  return base;
}
