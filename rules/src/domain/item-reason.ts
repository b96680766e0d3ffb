import type { core } from 'zod';

/**
 * Why the ingest API refused one item, as data beside its English `message`
 * (`rejected[].error.reason`): a key that a client words in its own language, and the
 * figures it needs (`limit` for sizes and ranges, `values` for a closed list).
 */
export type ItemReason =
  | { key: 'required' | 'datetime' | 'lat_lon_pair' | 'nul' | 'lone_surrogate' | 'forbidden_source' | 'conflict' | 'type' | 'format' | 'unknown_field' | 'invalid' | 'not_found' | 'in_past' | 'closed' | 'weak' | 'taken' | 'self_crossing' }
  | { key: 'too_big' | 'too_small' | 'too_long' | 'too_short' | 'hours_ahead' | 'time_range'; limit: number }
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

/** The reason of zod's issue with `item` (`required` for a field that is missing from it). */
export function reasonOfIssue(issue: core.$ZodIssue, item: unknown): ItemReason {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(item, issue.path) === undefined ? { key: 'required' } : { key: 'type' };
    case 'too_big':
    case 'too_small': {
      const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const sized = issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set';
      const key = issue.code === 'too_big' ? (sized ? 'too_long' : 'too_big') : sized ? 'too_short' : 'too_small';
      return { key, limit };
    }
    case 'invalid_format':
      return issue.format === 'datetime' ? { key: 'datetime' } : { key: 'format' };
    case 'invalid_value':
      // A field of a closed list left out is missing, not a wrong value (the values are said with it).
      return valueAt(item, issue.path) === undefined ? { key: 'required' } : { key: 'one_of', values: issue.values.map(String) };
    case 'unrecognized_keys':
      return { key: 'unknown_field' };
    default:
      return { key: 'invalid' };
  }
}
