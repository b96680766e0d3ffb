import type { ErrorRequestHandler, Request, Response } from 'express';
import { errorBody, VigieError, type ErrorCode } from '../errors/catalogue.ts';
import type { Logger } from '../logger.ts';

export function sendError(res: Response, code: ErrorCode, message?: string, details?: unknown): void {
  res.status(new VigieError(code).status).json(errorBody(code, message, details));
}

/**
 * The code and message for an error reading a request's body (body-parser's), or undefined
 * for any other error. A body that does not inflate as its Content-Encoding says (not gzip,
 * truncated) reaches here as zlib's error, which body-parser gives a 400 but no type.
 */
export function bodyError(err: unknown, req: Request): { code: ErrorCode; message: string } | undefined {
  const e = err as { type?: unknown; status?: unknown; errno?: unknown; code?: unknown; message?: unknown };
  const message = String(e?.message ?? err);
  if (e?.type === 'entity.too.large') return { code: 'VIGIE_BATCH_TOO_LARGE', message: 'the body is larger than 1 MiB' };
  if (e?.type === 'entity.parse.failed') return { code: 'VIGIE_BAD_JSON', message: `the body is not valid JSON: ${message}` };
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
    if (body) return sendError(res, body.code, body.message);
    log.error('http: unexpected error', { error: String(err), stack: (err as Error).stack });
    sendError(res, 'VIGIE_INTERNAL');
  };
}
