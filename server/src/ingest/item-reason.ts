import { reasonOfIssue, valueAt, type ItemReason } from '@vigie/rules';

import type { core } from 'zod';

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
