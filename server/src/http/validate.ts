import type { Response } from 'express';
import type { z } from 'zod';
import { describeIssue } from '../ingest/item-reason.ts';
import { UNSTORABLE, unstorableText } from '../ingest/unstorable-text.ts';
import { sendError } from './errors.ts';

/**
 * Parses a body or query with a schema; on failure answers 400 naming the field (with its
 * reason as data, which a client words in its own language) and returns undefined. Text the
 * database could not hold (a NUL, half a surrogate pair) is refused the same way.
 */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.infer<S> | undefined {
  const r = schema.safeParse(value ?? {});
  if (r.success) {
    const bad = unstorableText(r.data);
    if (!bad) return r.data;
    const message = UNSTORABLE[bad.key];
    sendError(res, 'VIGIE_VALIDATION', `${bad.field}: ${message}`, { issues: [{ field: bad.field, message, reason: { key: bad.key } }] });
    return undefined;
  }
  const issues = r.error.issues.map((i) => {
    const { field, message, reason } = describeIssue(i, value ?? {});
    return { field, message, reason };
  });
  const first = issues[0]!;
  sendError(res, 'VIGIE_VALIDATION', first.field ? `${first.field}: ${first.message}` : first.message, { issues });
  return undefined;
}
