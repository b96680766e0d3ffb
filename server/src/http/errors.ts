import type { ErrorRequestHandler, Request, Response } from 'express';
import { errorBody, VigieError, type ErrorCode } from '../errors/catalogue.ts';
import type { Logger } from '../logger.ts';
import { NOT_UTF8 } from './json-body.ts';

export function sendError(res: Response, code: ErrorCode, message?: string, details?: unknown): void {
  res.status(new VigieError(code).status).json(errorBody(code, message, details));
}

/** A byte count as people write limits: `20 MiB`, `64 KiB`, else in bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * The code, message and details for an error reading a request's body (body-parser's), or
 * undefined for any other error. A body over the route's limit names that limit (each route
 * has its own: 16 KiB for a sign-in, 1 MiB for a batch of events, 20 MiB for a CSV export),
 * which body-parser's error carries as `limit`. A body that does not inflate as its
 * Content-Encoding says (not gzip, truncated) reaches here as zlib's error, which body-parser
 * gives a 400 but no type.
 */
export function bodyError(err: unknown, req: Request): { code: ErrorCode; message: string; details?: Record<string, unknown> } | undefined {
  const e = err as { type?: unknown; status?: unknown; errno?: unknown; code?: unknown; message?: unknown; limit?: unknown };
  const message = String(e?.message ?? err);
  if (e?.type === 'entity.too.large') {
    if (typeof e.limit !== 'number') return { code: 'VIGIE_BATCH_TOO_LARGE', message: 'the body is larger than this route takes' };
    return { code: 'VIGIE_BATCH_TOO_LARGE', message: `the body is larger than this route takes: at most ${formatBytes(e.limit)}`, details: { limitBytes: e.limit } };
  }
  if (e?.type === 'entity.parse.failed') {
    // JSON, but a bare value (null, a string, a number): refused by the parser's strict mode, which takes only an object or an array.
    const bare = bareJson((err as { body?: unknown }).body);
    if (bare) return { code: 'VIGIE_BAD_JSON', message: `the body must be a JSON object, not ${bare}` };
    return { code: 'VIGIE_BAD_JSON', message: `the body is not valid JSON: ${message}` };
  }
  if (e?.type === NOT_UTF8) return { code: 'VIGIE_BAD_JSON', message };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return { code: 'VIGIE_BAD_CONTENT_TYPE', message };
  const encoding = req.get('content-encoding')?.trim().toLowerCase();
  const fromZlib = typeof e?.errno === 'number' && typeof e?.code === 'string';
  if (e?.type === undefined && e?.status === 400 && encoding && encoding !== 'identity' && fromZlib) {
    return { code: 'VIGIE_BAD_ENCODING', message: `the body cannot be decoded as its Content-Encoding: ${encoding} says (${message}); send it encoded whole, or without Content-Encoding` };
  }
  return undefined;
}

/** Turns thrown errors into the error shape; body-parser's errors get their own codes. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof VigieError) return sendError(res, err.code, err.message, err.details);
    const body = bodyError(err, req);
    if (body) return sendError(res, body.code, body.message, body.details);
    log.error('http: unexpected error', { error: String(err), stack: (err as Error).stack });
    sendError(res, 'VIGIE_INTERNAL');
  };
}

/** What a body that parses as JSON but is neither an object nor an array holds ("null", "a string"), else undefined. */
function bareJson(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(body);
    if (v === null) return 'null';
    if (typeof v !== 'object') return `a ${typeof v}`;
  } catch {
    // not JSON at all
  }
  return undefined;
}
