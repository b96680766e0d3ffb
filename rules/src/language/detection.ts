import { parseDuration } from './duration.ts';
import type { RuleDefinition } from './rule-schema.ts';

/** What a rule says of its alerts only: changing these does not change what it detects. */
const WORDING: ReadonlySet<string> = new Set(['title', 'description', 'severity', 'actions', 'translations']);

/** JSON with object keys in order: the same value gives the same text whatever order its keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The part of a rule that decides what it detects and when (not how its alerts are worded), as text. */
export function detectionOf(def: RuleDefinition): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (!WORDING.has(k)) kept[k] = v;
  return canonical(kept);
}

/**
 * Whether two versions of a rule detect the same thing the same way: they differ at most in
 * their alerts' wording (title, description, severity, actions, translations). The new one may then go on
 * from the old one's state.
 */
export function sameDetection(a: RuleDefinition, b: RuleDefinition): boolean {
  return detectionOf(a) === detectionOf(b);
}

/** How far back an adaptive absence rule (`for: auto`) is rebuilt from. */
const AUTO_ABSENCE_LOOKBACK_MS = 6 * 3_600_000;

/**
 * How far back in event time a rule's state reaches (ms): the stored events of that span
 * rebuild it when the rule is new or detects otherwise. Undefined: nothing worth rebuilding (a
 * match rule judges each event alone). An absence rule looks back twice its `for`: a key silent
 * since before the last `for` is known, and found silent; an adaptive one (`for: auto`), whose
 * silences its baseline judges, six hours. A co-occurrence looks back six times its `within`:
 * a cluster keeps the key of its first event while it is fed, and one fed that long keeps it.
 */
export function lookbackMs(def: RuleDefinition): number | undefined {
  switch (def.kind) {
    case 'threshold': case 'anomaly': return parseDuration(def.window);
    case 'sequence': return parseDuration(def.within);
    case 'cooccurrence': return 6 * parseDuration(def.within)!;
    case 'absence': return def.for === 'auto' ? AUTO_ABSENCE_LOOKBACK_MS : 2 * parseDuration(def.for)!;
    case 'match': return undefined;
  }
}
