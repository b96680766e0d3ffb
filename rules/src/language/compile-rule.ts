import type { Severity } from '../domain/alert.ts';
import { calendarActive } from '../engine/calendar.ts';
import type { EventContext } from '../engine/context.ts';
import { allOf, compileFilter, compileGetter, type Predicate } from './compile-filter.ts';
import { describeConditions } from './describe-rule.ts';
import { impliedByIndex } from './index-implied.ts';
import { equalityTest, type EqualityTest } from './equality-scope.ts';
import { parseDistance, parseDuration } from './duration.ts';
import type { ActiveDuring, RuleDefinition } from './rule-schema.ts';
import { parseSchedule, scheduleMatches, type Schedule } from './schedule.ts';
import { typePatterns } from './type-patterns.ts';
import { narrowerScope, zoneScope } from './zone-scope.ts';

/** A rule ready to run: closures, durations in ms, distances in metres. */
export type CompiledRule = {
  id: string;
  version: number;
  kind: RuleDefinition['kind'];
  severity: Severity;
  title: string;
  actions: string[];
  /** The title and actions in other languages, by language (a translation may give no actions: its readers get the rule's own). */
  translations?: Record<string, { title: string; actions?: string[] }>;
  definition: RuleDefinition;
  /** where + zones + activeDuring, as one predicate */
  accepts: Predicate;
  /** Type patterns every accepted event matches (undefined: any type); the engine indexes rules by them. */
  types?: string[];
  /** Zones (ids or `tag:<tag>`) one of which every accepted event lies in (undefined: anywhere); the engine indexes rules by them. */
  zones?: string[];
  /** A field one of whose values every accepted event has (undefined: none known); the engine indexes rules by it too. */
  alpha?: EqualityTest;
  /**
   * Its whole test is what the engine's rule index checks (the type against `types`, the zones
   * against `zones`, nothing else): a candidate the index gives needs no call of `accepts`.
   */
  indexed?: boolean;
  /** The keys an accepted event counts under (several when it lies in several zones). */
  keysOf: (e: EventContext) => string[];
  groupBy?: string;
  windowMs?: number;
  suppressMs?: number;
  nearMeters?: number;
  /** Plain-word description of what the rule looks for. */
  conditions: string[];
  /** The same in French, the console's default language. */
  conditionsFr: string[];
};

const H3_DEFAULT_RES = 8;

export function compileKeys(groupBy: string | undefined): (e: EventContext) => string[] {
  if (!groupBy) return (e) => [`${e.event.source}/${e.event.id}`];
  // A warning's area (temporary) is no group of its own: a département-wide one would count the whole city.
  if (groupBy === 'zone') return (e) => (e.cityZones.hasTemporary ? e.zones.filter((id) => e.cityZones.get(id)?.expiresAt === undefined) : e.zones);
  if (groupBy.startsWith('zone:')) {
    const kind = groupBy.slice(5);
    return (e) => e.zones.filter((id) => e.cityZones.get(id)?.kind === kind);
  }
  if (groupBy === 'cell' || groupBy.startsWith('cell:')) {
    const res = groupBy === 'cell' ? H3_DEFAULT_RES : Number(groupBy.slice(5));
    return (e) => e.cellKeys(res);
  }
  const get = compileGetter(groupBy);
  return (e) => {
    const v = get(e);
    return v === undefined || v === null ? [] : [String(v)];
  };
}

function compileActive(a: ActiveDuring | undefined): Predicate | undefined {
  if (!a) return undefined;
  if ('cron' in a) {
    const s = parseSchedule(a.cron) as Schedule;
    return (e) => scheduleMatches(s, e.local);
  }
  return (e) => calendarActive(e.calendar, a.calendar, a.phase, e.t);
}

export function compileRule(def: RuleDefinition, version = 1): CompiledRule {
  const where = compileFilter(def.where);
  const checks: Predicate[] = [where];
  if (def.zones) checks.push(compileFilter({ op: 'inZone', value: def.zones }));
  const active = compileActive(def.activeDuring);
  if (active) checks.push(active);
  const groupBy = 'groupBy' in def ? def.groupBy : undefined;
  // A sequence's steps and `unless` decide which types it takes, not its `where`.
  const sequence = def.kind === 'sequence';
  const types = sequence ? undefined : typePatterns(def.where);
  // Every rule has every field, set or not, in one order: one hidden class for all kinds, so that
  // the engine's shared paths (`entry.rule.accepts`, …) read them in one place.
  return {
    id: def.id,
    version,
    kind: def.kind,
    severity: def.severity,
    title: def.title,
    actions: def.actions,
    translations: def.translations && Object.keys(def.translations).length
      ? Object.fromEntries(Object.entries(def.translations).map(([lang, t]) => [lang, t.actions ? { title: t.title, actions: t.actions } : { title: t.title }]))
      : undefined,
    definition: def,
    accepts: allOf(checks),
    types,
    zones: narrowerScope(zoneScope(def.where), def.zones),
    alpha: sequence ? undefined : equalityTest(def.where),
    keysOf: compileKeys(groupBy),
    groupBy,
    suppressMs: def.suppress ? parseDuration(def.suppress) : undefined,
    conditions: describeConditions(def, 'en'),
    conditionsFr: describeConditions(def, 'fr'),
    windowMs: windowOf(def),
    nearMeters: def.kind === 'cooccurrence' || (def.kind === 'sequence' && def.near) ? parseDistance(def.near!) : undefined,
    indexed: impliedByIndex(def, types),
  };
}

/** The span a rule looks over: its window, its `within`, or its fixed `for` (undefined: none, or `for: auto`). */
function windowOf(def: RuleDefinition): number | undefined {
  switch (def.kind) {
    case 'threshold':
    case 'anomaly':
      return parseDuration(def.window);
    case 'sequence':
    case 'cooccurrence':
      return parseDuration(def.within);
    case 'absence':
      return def.for === 'auto' ? undefined : parseDuration(def.for);
    default:
      return undefined;
  }
}
