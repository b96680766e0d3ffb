/**
 * Why the ingest API refused one item, as data beside its English `message`
 * (`rejected[].error.reason`): a key that a client words in its own language, and the
 * figures it needs (`limit` for sizes and ranges, `values` for a closed list).
 */
export type ItemReason =
  | { key: 'required' | 'datetime' | 'lat_lon_pair' | 'nul' | 'lone_surrogate' | 'forbidden_source' | 'conflict' | 'type' | 'format' | 'unknown_field' | 'invalid' }
  | { key: 'too_big' | 'too_small' | 'too_long' | 'too_short'; limit: number }
  | { key: 'one_of'; values: string[] };

/** The value at `path` in `data` (own properties only; undefined where the path leads nowhere): "required" or a wrong type? */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
