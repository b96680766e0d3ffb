import { Router } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { LoginLimiter } from '../auth/login-limiter.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

/** Failed sign-ins per address and account before waiting: a mistyped password or two is nothing. */
const PER_ACCOUNT = 10;
/**
 * Failed sign-ins per address across accounts (one password tried on many accounts): higher,
 * as a control room's operators may share one address. An account that signed in from the
 * address within KNOWN_HERE_MS is not held by it: one person mistyping (or a spray from the
 * same network) does not keep the room's operators out.
 */
const PER_ADDRESS = 30;
const KNOWN_HERE_MS = 24 * 3600_000;
const MAX_KNOWN = 10_000;
const SPAN_MS = 5 * 60_000;

export function authRoutes(sessions: Sessions, now: () => Date): Router {
  const r = Router();
  const perAccount = new LoginLimiter(PER_ACCOUNT, SPAN_MS);
  const perAddress = new LoginLimiter(PER_ADDRESS, SPAN_MS);
  /** `address|username` → when that account last signed in from that address. */
  const knownHere = new Map<string, number>();
  const known = (account: string, at: number) => at - (knownHere.get(account) ?? -Infinity) < KNOWN_HERE_MS;

  r.post('/login', requireJson, async (req, res) => {
    const body = parseBody(Login, req.body, res);
    if (!body) return;
    const address = req.ip ?? '', account = `${address}|${body.username}`;
    const at = now().getTime();
    const accountWait = perAccount.waitMs(account, at), addressWait = known(account, at) ? 0 : perAddress.waitMs(address, at);
    const wait = Math.ceil(Math.max(accountWait, addressWait) / 1000);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      const what = addressWait > accountWait ? `too many failed sign-ins from this address, whatever the account` : 'too many failed sign-ins';
      return sendError(res, 'VIGIE_RATE_LIMITED', `${what}: try again in ${Math.ceil(wait / 60)} min`, { retryAfterSeconds: wait, scope: addressWait > accountWait ? 'address' : 'account' });
    }
    const s = await sessions.login(body.username, body.password);
    if (!s) {
      perAccount.fail(account, at);
      perAddress.fail(address, at);
      return sendError(res, 'VIGIE_AUTH_INVALID');
    }
    // The address's count stays: one account known does not open the others to guessing.
    perAccount.reset(account);
    knownHere.delete(account);
    knownHere.set(account, at);
    if (knownHere.size > MAX_KNOWN) knownHere.delete(knownHere.keys().next().value!);
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
