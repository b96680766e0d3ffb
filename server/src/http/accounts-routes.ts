import express, { Router } from 'express';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.ts';
import type { Sessions } from '../auth/sessions.ts';
import { createAccount, listAccounts, updateAccount, type AccountChange } from '../storage/accounts-repo.ts';
import { recordAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

/** Roles an account may have (a wall screen signs in with a display token, not an account). */
export const ACCOUNT_ROLES = ['operator', 'supervisor', 'admin'] as const;
export const MIN_PASSWORD = 12;

const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '2 to 64 lower-case letters, digits, ".", "_" or "-"');
const DisplayName = z.string().trim().min(1).max(100);
const Password = z.string().min(MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`).max(200);

const NewAccount = z.strictObject({ username: Username, displayName: DisplayName, role: z.enum(ACCOUNT_ROLES), password: Password });
const Change = z.strictObject({ displayName: DisplayName.optional(), role: z.enum(ACCOUNT_ROLES).optional(), disabled: z.boolean().optional(), password: Password.optional() })
  .refine((c) => Object.keys(c).length > 0, { message: 'give at least one of displayName, role, disabled, password' });

/** A password that holds the username is the first one guessed; one of spaces only, the second. */
function weakPassword(res: express.Response, username: string, password: string): boolean {
  const blank = password.trim() === '';
  if (!blank && !password.toLowerCase().includes(username.toLowerCase())) return false;
  const message = blank ? 'must not be blank' : 'must not contain the username';
  sendError(res, 'VIGIE_VALIDATION', `password: ${message}`, { issues: [{ field: 'password', message, reason: { key: 'weak' } }] });
  return true;
}

/**
 * `GET/POST /api/v1/users`, `PATCH /api/v1/users/:username` (admin): accounts are made,
 * changed and disabled here, never deleted (the audit log and alerts name them). A disabled
 * account, or one whose role or password changed, is signed out everywhere at once; no change
 * may leave the city without an enabled administrator.
 */
export function accountsRoutes(db: SqlClient, sessions: Sessions, now: () => Date): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', async (_req, res) => {
    res.json({ users: await listAccounts(db) });
  });

  r.post('/', requireJson, jsonBody({ limit: '16kb' }), async (req, res) => {
    const body = parseBody(NewAccount, req.body, res);
    if (!body || weakPassword(res, body.username, body.password)) return;
    const at = now();
    const account = await createAccount(db, { username: body.username, displayName: body.displayName, role: body.role, passwordHash: await hashPassword(body.password) }, at);
    if (!account) return sendError(res, 'VIGIE_ACCOUNT_EXISTS', `an account ${body.username} exists`, { issues: [{ field: 'username', message: 'taken', reason: { key: 'taken' } }] });
    await recordAudit(db, at, req.user!.username, 'user.create', account.username, { role: account.role, displayName: account.displayName });
    res.status(201).json(account);
  });

  r.patch('/:username', requireJson, jsonBody({ limit: '16kb' }), async (req, res) => {
    const username = String(req.params.username);
    const body = parseBody(Change, req.body, res);
    if (!body || (body.password !== undefined && weakPassword(res, username, body.password))) return;
    const at = now();
    const change: AccountChange = { displayName: body.displayName, role: body.role, disabled: body.disabled, passwordHash: body.password === undefined ? undefined : await hashPassword(body.password) };
    const updated = await updateAccount(db, username, change, at);
    if (!updated) return sendError(res, 'VIGIE_NOT_FOUND', `no account ${username}`);
    if (updated === 'last-admin') return sendError(res, 'VIGIE_LAST_ADMIN', `${username} is the only enabled administrator: give another account the admin role first`, { issues: [{ field: body.disabled ? 'disabled' : 'role', message: 'the last enabled administrator' }] });
    // Its sessions end with any change of what it may do or how it signs in (not with a new
    // display name); an administrator changing their own password keeps the session they did it from.
    const ownPassword = username === req.user!.username && body.password !== undefined && body.role === undefined && body.disabled === undefined;
    const signedOut = body.disabled === true || body.role !== undefined || body.password !== undefined ? await sessions.endAllOf(username, ownPassword ? req.sid : undefined) : 0;
    await recordAudit(db, at, req.user!.username, 'user.update', username, { ...body, ...(body.password === undefined ? {} : { password: '(changed)' }), sessionsEnded: signedOut });
    res.json(updated);
  });
  return r;
}
