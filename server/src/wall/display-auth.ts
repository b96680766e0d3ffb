import { tokenUsed } from '../auth/token-use.ts';
import type { RequestHandler } from 'express';
import { hashToken } from '../auth/tokens.ts';
import { sendError } from '../http/errors.ts';
import { findDisplayToken } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The wall screen a display token names (hashed token; never the token itself). */
    display?: { tokenHash: string };
  }
}

/** The display token of a request: `Authorization: Display <token>`, else `?token=`. */
export function displayTokenOf(authorization: string | undefined, query: unknown): string | undefined {
  const m = authorization ? /^Display\s+(\S+)\s*$/i.exec(authorization) : null;
  if (m) return m[1];
  const q = (query as { token?: unknown } | undefined)?.token;
  return typeof q === 'string' && q ? q : undefined;
}

/**
 * A wall screen's display token, and nothing else: no session, no cookie, no expiry. A
 * missing or unknown token answers 401 VIGIE_DISPLAY_TOKEN_INVALID.
 */
export function requireDisplay(db: SqlClient): RequestHandler {
  return async (req, res, next) => {
    const token = displayTokenOf(req.get('authorization'), req.query);
    if (!token) return sendError(res, 'VIGIE_DISPLAY_TOKEN_INVALID', 'give the display token: Authorization: Display <token> or ?token=');
    const tokenHash = hashToken(token);
    if (!(await findDisplayToken(db, tokenHash))) return sendError(res, 'VIGIE_DISPLAY_TOKEN_INVALID');
    tokenUsed(db, 'display_tokens', tokenHash);
    req.display = { tokenHash };
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
