import type { ErrorRequestHandler, Response } from 'express';
import { errorBody, VigieError, type ErrorCode } from '../errors/catalogue.ts';
import type { Logger } from '../logger.ts';

export function sendError(res: Response, code: ErrorCode, message?: string, details?: unknown): void {
  res.status(new VigieError(code).status).json(errorBody(code, message, details));
}

/** Turns thrown errors into the error shape; body-parser's errors get their own codes. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof VigieError) return sendError(res, err.code, err.message, err.details);
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(res, 'VIGIE_BATCH_TOO_LARGE', 'the body is larger than 1 MiB');
    if (type === 'entity.parse.failed') return sendError(res, 'VIGIE_BAD_JSON', `the body is not valid JSON: ${(err as Error).message}`);
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, 'VIGIE_BAD_CONTENT_TYPE', (err as Error).message);
    log.error('http: unexpected error', { error: String(err), stack: (err as Error).stack });
    sendError(res, 'VIGIE_INTERNAL');
  };
}
