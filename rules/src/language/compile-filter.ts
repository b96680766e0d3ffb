import type { EventContext } from '../engine/context.ts';
import { distanceMeters } from '../geo/distance.ts';
import { dayIndex, type Condition, type Filter, type Scalar } from './filter-schema.ts';

export type Predicate = (e: EventContext) => boolean;
type Getter = (e: EventContext) => unknown;

const TRUE: Predicate = () => true;

export function compileGetter(path: string): Getter {
  switch (path) {
    case 'id': return (e) => e.event.id;
    case 'source': return (e) => e.event.source;
    case 'type': return (e) => e.event.type;
    case 'family': return (e) => e.family;
    case 'severity': return (e) => e.event.severity;
    case 'text': return (e) => e.event.text;
    case 'time': return (e) => e.event.time;
    case 'location.lat': return (e) => e.event.location?.lat;
    case 'location.lon': return (e) => e.event.location?.lon;
  }
  const name = path.slice('attributes.'.length);
  return (e) => e.event.attributes?.[name];
}

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
/** A glob ("accident.*", "LUM-1300?-*") as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join('')}$`);
}
/** Whether a filter value is a glob pattern (`*`, `?`) rather than a literal. */
export const isGlob = (v: Scalar) => typeof v === 'string' && /[*?]/.test(v);

/** Equality that matches an event's string to a number written in YAML and vice versa. */
const same = (a: unknown, b: Scalar) => a === b || (a !== undefined && a !== null && String(a) === String(b));

function valueMatcher(v: Scalar): (x: unknown) => boolean {
  if (isGlob(v)) {
    const re = globToRegExp(v as string);
    return (x) => typeof x === 'string' && re.test(x);
  }
  return (x) => same(x, v);
}

function anyOf(values: Scalar[]): (x: unknown) => boolean {
  const matchers = values.map(valueMatcher);
  return (x) => matchers.some((m) => m(x));
}

const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN);

function zoneMatcher(spec: string | string[]): Predicate {
  const wanted = Array.isArray(spec) ? spec : [spec];
  const ids = new Set(wanted.filter((w) => !w.startsWith('tag:')));
  const tags = wanted.filter((w) => w.startsWith('tag:')).map((w) => w.slice(4));
  return (e) => {
    const zones = e.zones;
    for (let i = 0; i < zones.length; i++) {
      const id = zones[i]!;
      if (ids.has(id)) return true;
      if (tags.length) {
        const zone = e.cityZones.get(id);
        if (zone && tags.some((t) => zone.tags.includes(t))) return true;
      }
    }
    return false;
  };
}

/** Every predicate holds (a plain loop: no closure made per call). */
export function allOf(ps: Predicate[]): Predicate {
  if (ps.length === 1) return ps[0]!;
  if (ps.length === 2) { const [a, b] = ps as [Predicate, Predicate]; return (e) => a(e) && b(e); }
  if (ps.length === 3) { const [a, b, c] = ps as [Predicate, Predicate, Predicate]; return (e) => a(e) && b(e) && c(e); }
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (!ps[i]!(e)) return false;
    return true;
  };
}

function someOf(ps: Predicate[]): Predicate {
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (ps[i]!(e)) return true;
    return false;
  };
}

function compileCondition(c: Condition): Predicate {
  const get = c.field ? compileGetter(c.field) : () => undefined;
  const v = c.value as never;
  switch (c.op) {
    case 'eq': return (e) => same(get(e), v);
    case 'ne': return (e) => !same(get(e), v);
    case 'in': { const m = anyOf(v); return (e) => m(get(e)); }
    case 'nin': { const m = anyOf(v); return (e) => !m(get(e)); }
    case 'gt': return (e) => num(get(e)) > v;
    case 'gte': return (e) => num(get(e)) >= v;
    case 'lt': return (e) => num(get(e)) < v;
    case 'lte': return (e) => num(get(e)) <= v;
    case 'glob': { const re = globToRegExp(v); return (e) => { const x = get(e); return typeof x === 'string' && re.test(x); }; }
    case 'contains': {
      const needle = String(v).toLowerCase();
      return (e) => { const x = get(e); return x !== undefined && String(x).toLowerCase().includes(needle); };
    }
    case 'exists': { const want = v !== false; return (e) => (get(e) !== undefined) === want; }
    case 'inZone': return zoneMatcher(v);
    case 'withinMeters': {
      const { lat, lon, meters } = c.value as { lat: number; lon: number; meters: number };
      return (e) => !!e.event.location && distanceMeters(e.event.location, { lat, lon }) <= meters;
    }
    case 'hourBetween': {
      const [from, to] = c.value as [number, number];
      // [22, 6] wraps over midnight; the end hour is excluded.
      return from <= to
        ? (e) => e.local.hour >= from && e.local.hour < to
        : (e) => e.local.hour >= from || e.local.hour < to;
    }
    case 'dayOfWeek': {
      const days = new Set((c.value as unknown[]).map(dayIndex));
      return (e) => days.has(e.local.weekday);
    }
  }
}

/** Compiles a checked filter to a closure: no eval, no expression language. */
export function compileFilter(f: Filter | undefined): Predicate {
  if (!f) return TRUE;
  if ('all' in f && Array.isArray(f.all)) {
    return allOf((f.all as Filter[]).map(compileFilter));
  }
  if ('any' in f && Array.isArray(f.any)) {
    return someOf((f.any as Filter[]).map(compileFilter));
  }
  if ('not' in f && typeof f.not === 'object') {
    const p = compileFilter(f.not as Filter);
    return (e) => !p(e);
  }
  if ('op' in f && typeof f.op === 'string') return compileCondition(f as Condition);
  const parts = Object.entries(f as Record<string, Scalar | Scalar[]>).map(([field, value]): Predicate => {
    const get = compileGetter(field);
    const m = Array.isArray(value) ? anyOf(value) : valueMatcher(value);
    return (e) => m(get(e));
  });
  return allOf(parts);
}
