import { Router } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { LoginLimiter } from '../auth/login-limiter.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

export function authRoutes(sessions: Sessions, now: () => Date): Router {
  const r = Router();
  const limiter = new LoginLimiter(10, 5 * 60_000);

  r.post('/login', requireJson, async (req, res) => {
    const body = parseBody(Login, req.body, res);
    if (!body) return;
    const who = `${req.ip}|${body.username}`;
    const wait = Math.ceil(limiter.waitMs(who, now().getTime()) / 1000);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return sendError(res, 'VIGIE_RATE_LIMITED', `too many failed sign-ins: try again in ${Math.ceil(wait / 60)} min`, { retryAfterSeconds: wait });
    }
    const s = await sessions.login(body.username, body.password);
    if (!s) {
      limiter.fail(who, now().getTime());
      return sendError(res, 'VIGIE_AUTH_INVALID');
    }
    limiter.reset(who);
    res.cookie(SESSION_COOKIE, s.sid, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', expires: s.expiresAt });
    res.json({ user: s.user, csrfToken: s.csrf });
  });

  r.post('/logout', requireRole('operator'), async (req, res) => {
    await sessions.logout(req.sid!);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  r.get('/me', (req, res) => {
    if (!req.user) return sendError(res, 'VIGIE_AUTH_REQUIRED');
    res.json({ user: req.user, csrfToken: req.csrf });
  });
  return r;
}
