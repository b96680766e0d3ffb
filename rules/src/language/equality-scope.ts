import { isGlob } from './compile-filter.ts';
import type { Filter, Scalar } from './filter-schema.ts';

/** An alpha test: the event's `field`, as a string, must be one of `values` (a missing or null field passes none). */
export type EqualityTest = { field: string; values: string[] };

/**
 * Per field, the values one of which the field must equal (as `eq`, `in` and the short form
 * compare: `String(x) === String(value)`, never for a missing or null field) in every event
 * `f` accepts, when the filter says so at its top: a short-form value or list without globs,
 * an `eq` condition (always literal), an `in` list without globs, an `all` containing them
 * (values intersect), an `any` whose branches all test the same field (values unite). Under
 * a `not` nothing is implied. The engine indexes rules by it, so it must never be narrower
 * than what the filter accepts.
 */
export function equalityScope(f: Filter | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!f) return out;
  if ('all' in f && Array.isArray(f.all)) {
    for (const part of f.all as Filter[]) for (const [field, values] of equalityScope(part)) narrow(out, field, values);
    return out;
  }
  if ('any' in f && Array.isArray(f.any)) {
    const parts = (f.any as Filter[]).map(equalityScope);
    for (const [field, values] of parts[0] ?? []) {
      const union = new Set(values);
      let everyBranch = true;
      for (const p of parts.slice(1)) {
        const other = p.get(field);
        if (!other) { everyBranch = false; break; }
        for (const v of other) union.add(v);
      }
      if (everyBranch) out.set(field, union);
    }
    return out;
  }
  if ('not' in f && typeof f.not === 'object') return out;
  if ('op' in f && typeof f.op === 'string') {
    const c = f as { field?: string; op: string; value?: unknown };
    if (c.field === undefined) return out;
    if (c.op === 'eq') out.set(c.field, new Set([String(c.value)]));
    else if (c.op === 'in' && !(c.value as Scalar[]).some(isGlob)) out.set(c.field, new Set((c.value as Scalar[]).map(String)));
    return out;
  }
  for (const [field, value] of Object.entries(f as Record<string, Scalar | Scalar[]>)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.some(isGlob)) narrow(out, field, new Set(values.map(String)));
  }
  return out;
}

/** Both hold: the field must be in each set. */
function narrow(out: Map<string, Set<string>>, field: string, values: Set<string>): void {
  const had = out.get(field);
  out.set(field, had ? new Set([...had].filter((v) => values.has(v))) : values);
}

/**
 * The one test the engine indexes a rule by: the field with the fewest values (the most
 * selective), `type` aside (rules are indexed by type already). Undefined: no such test.
 */
export function equalityTest(f: Filter | undefined): EqualityTest | undefined {
  let best: EqualityTest | undefined;
  for (const [field, values] of equalityScope(f)) {
    if (field === 'type') continue;
    if (!best || values.size < best.values.length) best = { field, values: [...values] };
  }
  return best;
}
