import { compileGetter, globToRegExp } from '../language/compile-filter.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { alphaKey } from './alpha-key.ts';
import type { EventContext } from './context.ts';

/**
 * The candidates of one event, split by how the engine runs them; beside each list, per
 * candidate, 1 where the index's choice already implies the rule's filter (`rule.indexed`,
 * resolved against the event's own zones): the engine skips `accepts` there.
 */
export type Candidates<T> = { onArrival: T[]; inOrder: T[]; sureOnArrival: Uint8Array; sureInOrder: Uint8Array };

type Getter = (e: EventContext) => unknown;

type Matcher<T> = {
  entry: T;
  /** Whether the rule may accept this type (absent: any type). */
  test?: (type: string) => boolean;
  /** The types it names, when it names no glob: it may accept these and no other. */
  exact?: Set<string>;
  /** The zone ids and tags one of which the event must lie in (absent: anywhere). */
  ids?: Set<string>;
  tags?: string[];
  /** The field and the values one of which it must have, as `alphaKey` gives them (absent: any value). */
  gate?: { field: string; values: Set<string> };
};

/** The candidates for one value of each gated field in turn (`missing`: the field is absent or null). */
type ValueNode<T> = { candidates?: Candidates<T>; missing?: ValueNode<T>; byValue?: Map<string, ValueNode<T>> };
/**
 * The rules of one type in one set of zones, and when enough of them are gated by a field's
 * value (`gated`: at least MIN_GATED, so that a lookup by value beats asking them), their
 * candidates per value.
 */
type ZoneNode<T> = { matchers: Matcher<T>[]; all: Candidates<T>; values: ValueNode<T>; gated: boolean };

/** What one event type resolves to: its rules, and when some are scoped to zones, their candidates per set of zones. */
export type TypeBucket<T> = {
  matchers: Matcher<T>[];
  /** The candidates of every event of the type, when its rules are neither scoped nor gated. */
  plain?: Candidates<T>;
  /** The rules when none is scoped to zones. */
  anywhere?: ZoneNode<T>;
  byZones?: Map<string, ZoneNode<T>>;
  /** The very nodes of `byZones`, by the number the city's zone index gives the set (`EventContext.zoneSet`). */
  bySet?: (ZoneNode<T> | undefined)[];
  /** The fields some rule of the type is gated by, read once per event (empty: none, or given up on). */
  gates: { field: string; get: Getter }[];
  /** Value nodes made for this type: past MAX_VALUE_NODES the gates are dropped (values too many to remember). */
  valueNodes: number;
};

const MAX_CACHED = 20_000;
const MAX_VALUE_NODES = 512;
/** The fewest gated rules of one type and place worth a lookup by value (one lookup costs about one filter). */
const MIN_GATED = 2;
const NO_ZONE_KEY = '\u0000';

function split<T extends { rule: CompiledRule; stateless: boolean }>(list: T[]): Candidates<T> {
  const onArrival = list.filter((e) => e.stateless), inOrder = list.filter((e) => !e.stateless);
  return { onArrival, inOrder, sureOnArrival: sure(onArrival), sureInOrder: sure(inOrder) };
}

const NONE_SURE = new Uint8Array(0);
function sure(list: { rule: CompiledRule }[]): Uint8Array {
  if (list.length === 0) return NONE_SURE;
  const flags = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) flags[i] = list[i]!.rule.indexed ? 1 : 0;
  return flags;
}

/** The same candidates with nothing taken as sure (an event read against other zones than the index's). */
function unsure<T>(c: Candidates<T>): Candidates<T> {
  const none = (n: number) => (n === 0 ? NONE_SURE : new Uint8Array(n));
  return { onArrival: c.onArrival, inOrder: c.inOrder, sureOnArrival: none(c.onArrival.length), sureInOrder: none(c.inOrder.length) };
}

/**
 * Which rules an event can concern, by its type, its zones and the values of the fields rules
 * test for equality. Each distinct type is resolved once against the rules' type patterns and
 * remembered; a rule that says nothing of the type is always a candidate. A rule scoped to
 * zones (`zones`, or an `inZone` its filter requires) is a candidate only for events in one of
 * them: for a type with such rules, the candidates of each set of zones an event lies in are
 * resolved once and remembered too. A rule whose filter requires a field to equal one of some
 * values (`{ attributes.flag: true }`, `in`, at the top of the filter: its `alpha` test) is a
 * candidate only for events with one of them, where at least MIN_GATED rules of the type and
 * place are so gated: the candidates of each value are resolved once and remembered (a type
 * whose events bring too many distinct values stops being split by value). The per-event cost then follows the rules whose tests the event can pass, not all
 * rules. A rule is left out only where its own filter would refuse the event, so the alerts
 * are the same; candidates keep the rules' order.
 */
export class RuleIndex<T extends { rule: CompiledRule; stateless: boolean }> {
  private byType = new Map<string, TypeBucket<T>>();
  private cached = 0;
  private readonly matchers: Matcher<T>[];
  /**
   * By exact type, the places (in `matchers`) of the rules that name it and no glob; and the
   * places of every other rule (globs, or any type): a type's rules are found without testing
   * every rule.
   */
  private readonly byExactType = new Map<string, number[]>();
  private readonly otherTypes: number[] = [];
  private readonly getters = new Map<string, Getter>();

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
        if (globs.length === 0) m.exact = exact;
      }
      const zones = entry.rule.zones;
      if (zones) {
        m.ids = new Set(zones.filter((z) => !z.startsWith('tag:')));
        m.tags = zones.filter((z) => z.startsWith('tag:')).map((z) => z.slice(4));
      }
      const alpha = entry.rule.alpha;
      if (alpha) {
        m.gate = { field: alpha.field, values: new Set(alpha.values) };
        if (!this.getters.has(alpha.field)) this.getters.set(alpha.field, compileGetter(alpha.field));
      }
      return m;
    });
    this.matchers.forEach((m, i) => {
      if (!m.exact) return void this.otherTypes.push(i);
      for (const type of m.exact) {
        const places = this.byExactType.get(type);
        if (places) places.push(i);
        else this.byExactType.set(type, [i]);
      }
    });
  }

  /** The rules that may accept a type, in their order: as `matchers.filter((m) => !m.test || m.test(type))` gives them. */
  private matchersOf(type: string): Matcher<T>[] {
    const exact = this.byExactType.get(type) ?? [], others = this.otherTypes, out: Matcher<T>[] = [];
    let a = 0, b = 0;
    while (a < exact.length || b < others.length) {
      if (b === others.length || (a < exact.length && exact[a]! < others[b]!)) out.push(this.matchers[exact[a++]!]!);
      else {
        const m = this.matchers[others[b++]!]!;
        if (!m.test || m.test(type)) out.push(m);
      }
    }
    return out;
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
      const matchers = this.matchersOf(type);
      const fields = [...new Set(matchers.filter((m) => m.gate).map((m) => m.gate!.field))];
      const scoped = matchers.some((m) => m.ids);
      const anywhere = scoped ? undefined : zoneNode(matchers);
      b = {
        matchers,
        plain: anywhere && !anywhere.gated ? anywhere.all : undefined,
        anywhere,
        byZones: scoped ? new Map() : undefined,
        bySet: scoped ? [] : undefined,
        gates: fields.map((field) => ({ field, get: this.getters.get(field)! })),
        valueNodes: 0,
      };
      this.remember();
      this.byType.set(type, b);
    }
    return b;
  }

  /** The rules that may accept `e`: its zones are looked up only when a rule of its type is scoped, its fields only when one is gated. */
  candidates(e: EventContext): Candidates<T> {
    return this.candidatesIn(this.bucket(e.event.type), e);
  }

  /**
   * What a type resolves to, or undefined when no rule may accept an event of it: such an
   * event needs no context at all (it only moves the clock). Then `candidatesIn` for the event.
   */
  forType(type: string): TypeBucket<T> | undefined {
    const b = this.bucket(type);
    return b.matchers.length === 0 ? undefined : b;
  }

  /** The candidates of `e` in its type's bucket (as `forType` gave it, the rules unchanged since). */
  candidatesIn(b: TypeBucket<T>, e: EventContext): Candidates<T> {
    return b.plain ?? this.resolve(b, e);
  }

  /** The candidates of a type with rules scoped to zones or gated by value. */
  private resolve(b: TypeBucket<T>, e: EventContext): Candidates<T> {
    let z = b.anywhere;
    if (!z) {
      if (e.cityZones !== this.zoneIndex) return unsure(this.foreign(b, e));
      // By the number of the event's set of zones: no list made, no string hashed.
      const set = e.zoneSet;
      z = b.bySet![set] ?? (b.bySet![set] = this.byZoneIds(b, e));
    }
    return b.gates.length === 0 || !z.gated ? z.all : this.byValues(b, z, e);
  }

  /** An event read against other zones (held in the buffer across a zones import): by its zones' ids, and not remembered. */
  private foreign(b: TypeBucket<T>, e: EventContext): Candidates<T> {
    const zones = e.zones;
    const known = b.byZones!.get(zoneKey(zones));
    if (known) return b.gates.length === 0 || !known.gated ? known.all : this.byValues(b, known, e);
    const z = zoneNode(b.matchers.filter((m) => !m.ids || inScope(m, zones, e)));
    return b.gates.length && z.gated ? split(gated(z.matchers, b, e)) : z.all;
  }

  /** The node of the event's zones, by their ids (made and remembered when new): the event is read against this index's zones. */
  private byZoneIds(b: TypeBucket<T>, e: EventContext): ZoneNode<T> {
    const zones = e.zones;
    const key = zoneKey(zones);
    let z = b.byZones!.get(key);
    if (!z) {
      z = zoneNode(b.matchers.filter((m) => !m.ids || inScope(m, zones, e)));
      this.remember();
      b.byZones!.set(key, z);
    }
    return z;
  }

  /** The zone node's candidates for the event's values of the type's gated fields, resolved once per combination. */
  private byValues(b: TypeBucket<T>, z: ZoneNode<T>, e: EventContext): Candidates<T> {
    let node = z.values;
    const gates = b.gates;
    if (gates.length === 1) {
      // The common case: one gated field, its value's candidates already resolved.
      const v = alphaKey(gates[0]!.get(e));
      const known = (v === undefined ? node.missing : node.byValue?.get(v))?.candidates;
      if (known) return known;
    }
    for (let i = 0; i < gates.length; i++) {
      const v = alphaKey(gates[i]!.get(e));
      let next = v === undefined ? node.missing : node.byValue?.get(v);
      if (!next) {
        if (++b.valueNodes > MAX_VALUE_NODES) {
          // Too many distinct values to remember for this type: its rules are no longer split by value.
          b.gates = [];
          if (b.anywhere) {
            b.anywhere.values = {};
            b.plain = b.anywhere.all;
          }
          if (b.byZones) for (const n of b.byZones.values()) n.values = {};
          return z.all;
        }
        this.remember();
        next = {};
        if (v === undefined) node.missing = next;
        else (node.byValue ??= new Map()).set(v, next);
      }
      node = next;
    }
    return (node.candidates ??= split(gated(z.matchers, b, e)));
  }

  /** Forgets resolved candidates: the zones changed (tags may name other zones now). */
  setZones(zoneIndex: unknown): void {
    this.zoneIndex = zoneIndex;
    this.byType.clear();
    this.cached = 0;
  }
}

/** A set of zone ids as a map key. */
function zoneKey(zones: readonly string[]): string {
  return zones.length === 0 ? NO_ZONE_KEY : zones.length === 1 ? zones[0]! : zones.join('\u0000');
}

function zoneNode<T extends { rule: CompiledRule; stateless: boolean }>(matchers: Matcher<T>[]): ZoneNode<T> {
  return { matchers, all: split(matchers.map((m) => m.entry)), values: {}, gated: matchers.filter((m) => m.gate).length >= MIN_GATED };
}

/** The entries of `matchers` whose gate, if any, the event's value of its field passes. */
function gated<T>(matchers: Matcher<T>[], b: TypeBucket<T>, e: EventContext): T[] {
  const keys = new Map<string, string | undefined>();
  for (const g of b.gates) keys.set(g.field, alphaKey(g.get(e)));
  return matchers.filter((m) => {
    if (!m.gate || !keys.has(m.gate.field)) return true;
    const v = keys.get(m.gate.field);
    return v !== undefined && m.gate.values.has(v);
  }).map((m) => m.entry);
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
