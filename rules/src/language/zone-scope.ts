import type { Filter } from './filter-schema.ts';

/**
 * The zones (ids, or `tag:<tag>`) one of which every event accepted by `f` must lie in, when
 * the filter says so at its top: an `inZone` condition, an `all` containing one, or an `any`
 * whose branches all have one. Under a `not` nothing is implied. Undefined: any place may pass.
 * The engine indexes rules by it, so it must never be narrower than what the filter accepts.
 */
export function zoneScope(f: Filter | undefined): string[] | undefined {
  if (!f) return undefined;
  if ('all' in f && Array.isArray(f.all)) {
    let best: string[] | undefined;
    for (const part of f.all as Filter[]) {
      const s = zoneScope(part);
      if (s && (!best || s.length < best.length)) best = s;
    }
    return best;
  }
  if ('any' in f && Array.isArray(f.any)) {
    const parts = (f.any as Filter[]).map(zoneScope);
    return parts.every(Boolean) ? [...new Set(parts.flat() as string[])] : undefined;
  }
  if ('not' in f && typeof f.not === 'object') return undefined;
  if ('op' in f && typeof f.op === 'string') {
    const c = f as { op: string; value?: unknown };
    if (c.op !== 'inZone') return undefined;
    return Array.isArray(c.value) ? c.value.map(String) : [String(c.value)];
  }
  return undefined;
}

/** The narrower of two scopes that both hold (an event must satisfy each). */
export function narrowerScope(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.length < a.length ? b : a;
}
