import type { ItemReason } from '@vigie/rules';
import type { core } from 'zod';

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
      return { key: 'one_of', values: issue.values.map(String) };
    case 'unrecognized_keys':
      return { key: 'unknown_field' };
    default:
      return { key: 'invalid' };
  }
}

/** The value at `path` in `item` (undefined where the path leads nowhere). */
function valueAt(item: unknown, path: readonly PropertyKey[]): unknown {
  let v = item;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
