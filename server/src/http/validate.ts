import type { Response } from 'express';
import type { z } from 'zod';
import { sendError } from './errors.ts';

/** Parses a body or query with a schema; on failure answers 400 naming the field and returns undefined. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.infer<S> | undefined {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.code === 'invalid_type' && i.input === undefined ? 'required' : i.message }));
  const first = issues[0]!;
  sendError(res, 'VIGIE_VALIDATION', first.field ? `${first.field}: ${first.message}` : first.message, { issues });
  return undefined;
}
