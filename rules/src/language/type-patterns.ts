import type { Filter, Scalar } from './filter-schema.ts';

/**
 * The type patterns (exact types or globs) that every event accepted by `f` must match, when
 * the filter says so at its top (short form `type`, an `all` containing one, an `any` whose
 * branches all do, or a `type` condition with eq / in / glob). Undefined: any type may pass.
 */
export function typePatterns(f: Filter | undefined): string[] | undefined {
  if (!f) return undefined;
  if ('all' in f && Array.isArray(f.all)) {
    for (const part of f.all as Filter[]) {
      const p = typePatterns(part);
      if (p) return p;
    }
    return undefined;
  }
  if ('any' in f && Array.isArray(f.any)) {
    const parts = (f.any as Filter[]).map(typePatterns);
    return parts.every(Boolean) ? parts.flat() as string[] : undefined;
  }
  if ('not' in f && typeof f.not === 'object') return undefined;
  if ('op' in f && typeof f.op === 'string') {
    const c = f as { field?: string; op: string; value?: unknown };
    if (c.field !== 'type') return undefined;
    if (c.op === 'eq' || c.op === 'glob') return [String(c.value)];
    if (c.op === 'in') return (c.value as Scalar[]).map(String);
    return undefined;
  }
  const v = (f as Record<string, Scalar | Scalar[]>).type;
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}
