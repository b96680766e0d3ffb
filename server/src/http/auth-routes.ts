import { Router } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import type { SignInLimits } from '../auth/sign-in-limits.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';

const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

export function authRoutes(sessions: Sessions, limits: SignInLimits, now: () => Date): Router {
  const r = Router();
  r.post('/login', requireJson, async (req, res) => {
    const body = parseBody(Login, req.body, res);
    if (!body) return;
    const address = req.ip ?? '', at = now();
    const held = await limits.wait(address, body.username, at);
    const wait = Math.ceil(held.ms / 1000);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      const what = held.scope === 'address' ? `too many failed sign-ins from this address, whatever the account` : 'too many failed sign-ins';
      return sendError(res, 'VIGIE_RATE_LIMITED', `${what}: try again in ${Math.ceil(wait / 60)} min`, { retryAfterSeconds: wait, scope: held.scope });
    }
    const s = await sessions.login(body.username, body.password);
    if (!s) {
      await limits.failed(address, body.username, at);
      return sendError(res, 'VIGIE_AUTH_INVALID');
    }
    await limits.succeeded(address, body.username, at);
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
