import { globToRegExp } from '../language/compile-filter.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import type { EventContext } from './context.ts';

/** The candidates of one event, split by how the engine runs them. */
export type Candidates<T> = { onArrival: T[]; inOrder: T[] };

type Matcher<T> = {
  entry: T;
  /** Whether the rule may accept this type (absent: any type). */
  test?: (type: string) => boolean;
  /** The zone ids and tags one of which the event must lie in (absent: anywhere). */
  ids?: Set<string>;
  tags?: string[];
};

/** What one event type resolves to: its rules, and when some are scoped to zones, their candidates per set of zones. */
type TypeBucket<T> = { all: Candidates<T>; matchers: Matcher<T>[]; byZones?: Map<string, Candidates<T>> };

const MAX_CACHED = 20_000;
const NO_ZONE_KEY = '\u0000';

function split<T extends { stateless: boolean }>(list: T[]): Candidates<T> {
  return { onArrival: list.filter((e) => e.stateless), inOrder: list.filter((e) => !e.stateless) };
}

/**
 * Which rules an event can concern, by its type and its zones. Each distinct type is resolved
 * once against the rules' type patterns and remembered; a rule that says nothing of the type
 * is always a candidate. A rule scoped to zones (`zones`, or an `inZone` its filter requires)
 * is a candidate only for events in one of them: for a type with such rules, the candidates
 * of each set of zones an event lies in are resolved once and remembered too. The per-event
 * cost then follows the rules that concern the event's type and place, not all rules. A rule
 * is left out only where its own filter would refuse the event, so the alerts are the same.
 */
export class RuleIndex<T extends { rule: CompiledRule; stateless: boolean }> {
  private byType = new Map<string, TypeBucket<T>>();
  private cached = 0;
  private readonly matchers: Matcher<T>[];

  /** The city's zones the remembered candidates were resolved with (tags say which zones a rule names). */
  private zoneIndex: unknown;

  constructor(entries: T[], zoneIndex?: unknown) {
    this.zoneIndex = zoneIndex;
    this.matchers = entries.map((entry) => {
      const m: Matcher<T> = { entry };
      const types = entry.rule.types;
      if (types) {
        const exact = new Set(types.filter((p) => !/[*?]/.test(p)));
        const globs = types.filter((p) => /[*?]/.test(p)).map(globToRegExp);
        m.test = (type: string) => exact.has(type) || globs.some((g) => g.test(type));
      }
      const zones = entry.rule.zones;
      if (zones) {
        m.ids = new Set(zones.filter((z) => !z.startsWith('tag:')));
        m.tags = zones.filter((z) => z.startsWith('tag:')).map((z) => z.slice(4));
      }
      return m;
    });
  }

  private remember(): void {
    if (++this.cached > MAX_CACHED) {
      // Unbounded type vocabularies and zone combinations stay bounded.
      this.byType.clear();
      this.cached = 0;
    }
  }

  private bucket(type: string): TypeBucket<T> {
    let b = this.byType.get(type);
    if (!b) {
      const matchers = this.matchers.filter((m) => !m.test || m.test(type));
      const scoped = matchers.some((m) => m.ids);
      b = {
        all: split(matchers.filter((m) => !m.ids).map((m) => m.entry)),
        matchers,
        byZones: scoped ? new Map() : undefined,
      };
      this.remember();
      this.byType.set(type, b);
    }
    return b;
  }

  /** The rules that may accept `e`: its zones are looked up only when a rule of its type is scoped. */
  candidates(e: EventContext): Candidates<T> {
    const b = this.bucket(e.event.type);
    if (!b.byZones) return b.all;
    const zones = e.zones;
    const key = zones.length === 0 ? NO_ZONE_KEY : zones.length === 1 ? zones[0]! : zones.join('\u0000');
    let c = b.byZones.get(key);
    if (!c) {
      c = split(b.matchers.filter((m) => !m.ids || inScope(m, zones, e)).map((m) => m.entry));
      // An event read against other zones (held in the buffer across a zones import) is not remembered.
      if (e.cityZones !== this.zoneIndex) return c;
      this.remember();
      b.byZones.set(key, c);
    }
    return c;
  }

  /** Forgets resolved candidates: the zones changed (tags may name other zones now). */
  setZones(zoneIndex: unknown): void {
    this.zoneIndex = zoneIndex;
    this.byType.clear();
    this.cached = 0;
  }
}

/** Whether one of `zones` is one of the matcher's, by id or by tag (as `inZone` decides). */
function inScope<T>(m: Matcher<T>, zones: readonly string[], e: EventContext): boolean {
  for (const id of zones) {
    if (m.ids!.has(id)) return true;
    if (m.tags!.length) {
      const tags = e.cityZones.get(id)?.tags;
      if (tags && m.tags!.some((t) => tags.includes(t))) return true;
    }
  }
  return false;
}
