import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hasRole } from '../auth/roles.ts';
import { readCookie, SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { feedSender } from '../auth/feed-sender.ts';
import type { Role, User } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { Sender } from '../ingest/pipeline.ts';
import { sendError } from './errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
    csrf?: string;
    sid?: string;
    sender?: Sender;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the session named by the cookie, if any; never refuses by itself. */
export function loadSession(sessions: Sessions): RequestHandler {
  return async (req, _res, next) => {
    const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sid) {
      const s = await sessions.find(sid);
      if (s) {
        req.user = s.user;
        req.csrf = s.csrf;
        req.sid = sid;
      }
    }
    next();
  };
}

/** A signed-in user with `role` (or a role that includes it); unsafe methods need the CSRF header. */
export function requireRole(role: Role): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      // A token is not a way in here: said so, rather than "give a token" to one who gave one.
      if (req.get('authorization')) return sendError(res, 'VIGIE_AUTH_REQUIRED', 'this route takes a signed-in session (POST /api/v1/auth/login), not a token: a feed token sends events, a display token reads the wall');
      return sendError(res, 'VIGIE_AUTH_REQUIRED', 'sign in first (POST /api/v1/auth/login)');
    }
    if (!hasRole(req.user.role, role)) return sendError(res, 'VIGIE_FORBIDDEN', `this needs the ${role} role`);
    if (!SAFE.has(req.method) && req.get('x-csrf-token') !== req.csrf) return sendError(res, 'VIGIE_CSRF');
    next();
  };
}

/**
 * A feed token in `Authorization: Bearer …`, or a supervisor's session (with CSRF), may send
 * events. The sender says which sources it may write.
 */
export function requireSender(db: SqlClient): RequestHandler {
  return async (req, res, next) => {
    const auth = req.get('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      const token = m ? await feedSender(db, m[1]!) : undefined;
      if (!token) return sendError(res, 'VIGIE_TOKEN_INVALID');
      req.sender = token;
      return next();
    }
    if (req.user) {
      if (!hasRole(req.user.role, 'supervisor')) return sendError(res, 'VIGIE_FORBIDDEN', 'sending events needs a feed token or the supervisor role');
      if (req.get('x-csrf-token') !== req.csrf) return sendError(res, 'VIGIE_CSRF');
      req.sender = { name: `user:${req.user.username}`, sources: null };
      return next();
    }
    sendError(res, 'VIGIE_TOKEN_INVALID', 'give a feed token: Authorization: Bearer <token>');
  };
}

/** Bodies of these media types only: anything else is refused before it is read. */
export const requireType = (...types: string[]): RequestHandler => (req, res, next) => {
  if (!req.is(types)) return sendError(res, 'VIGIE_BAD_CONTENT_TYPE', `the body must be ${types.join(' or ')}`);
  next();
};

/** JSON bodies only. */
export const requireJson = requireType('application/json');
