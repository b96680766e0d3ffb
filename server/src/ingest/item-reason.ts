import { valueAt, type ItemReason } from '@vigie/rules';
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

/** A value as an error message shows it: a string quoted (and cut), a number or boolean as is, else its kind. */
function given(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * The field, English message and reason of zod's issue with `value` (the input that was
 * parsed): "required" only where the field is absent from it (zod v4's issues do not carry
 * the input), "expected number, got "3"" for a wrong type, and an unknown key named.
 */
export function describeIssue(issue: core.$ZodIssue, value: unknown): { field: string; message: string; reason: ItemReason } {
  const reason = reasonOfIssue(issue, value);
  const path = issue.path.map((p) => String(p));
  if (issue.code === 'unrecognized_keys') {
    return { field: [...path, issue.keys[0]!].join('.'), message: issue.keys.length > 1 ? `unknown field (also ${issue.keys.slice(1).map((k) => `"${k}"`).join(', ')})` : 'unknown field', reason };
  }
  const message = reason.key === 'required' ? 'required'
    : issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${given(valueAt(value, issue.path))}`
    : issue.message;
  return { field: path.join('.'), message, reason };
}
