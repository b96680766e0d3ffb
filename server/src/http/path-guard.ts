import type { RequestHandler, Response } from 'express';
import { ERRORS } from '../errors/catalogue.ts';
import { UNSTORABLE, unstorableText } from '../ingest/unstorable-text.ts';
import { sendError } from './errors.ts';

const BAD_ESCAPE = 'not valid percent-encoding (%XX of UTF-8)';

/**
 * A path that no route could read is refused before any does: one with a broken escape (the
 * router would throw) or one that decodes to text the database cannot hold (a NUL, half a
 * surrogate pair: `GET /api/v1/alerts/%00` reached PostgreSQL and came back a 500). 400
 * naming `path`, in GeoReport's own error format under `/open311/`.
 */
export function pathGuard(): RequestHandler {
  return (req, res, next) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return refuse(res, req.path.startsWith('/open311/'), BAD_ESCAPE, 'format');
    }
    const bad = unstorableText(path);
    if (bad) return refuse(res, req.path.startsWith('/open311/'), UNSTORABLE[bad.key], bad.key);
    next();
  };
}

function refuse(res: Response, open311: boolean, message: string, key: string): void {
  if (open311) return void res.status(400).json([{ code: ERRORS.VIGIE_VALIDATION.status, description: `VIGIE_VALIDATION: path: ${message}` }]);
  sendError(res, 'VIGIE_VALIDATION', `path: ${message}`, { issues: [{ field: 'path', message, reason: { key } }] });
}
