import { Router } from 'express';
import { z } from 'zod';
import { hashToken, newToken } from '../auth/tokens.ts';
import { createDisplayToken, createFeedToken, deleteDisplayToken, deleteFeedToken, listDisplayTokens, listFeedTokens } from '../storage/accounts-repo.ts';
import { recordAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

const Name = z.string().trim().min(1).max(100);
const Source = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, "_", "." or "-", at most 64');
const NewFeedToken = z.strictObject({ name: Name, sources: z.array(Source).min(1).max(100).nullable() });
const NewDisplayToken = z.strictObject({ name: Name });

/**
 * `/api/v1/feed-tokens` and `/api/v1/display-tokens` (admin): list, make (the token is in the
 * answer once: only its SHA-256 is kept), revoke. A revoked display token's walls go dark at once.
 */
export function tokensRoutes(db: SqlClient, now: () => Date, onDisplayRevoked: (tokenHash: string) => void): Router {
  const r = Router();
  // Mounted at the API's root: the role is checked per route (a router-wide check would hold every later route).
  const admin = requireRole('admin');

  r.get('/feed-tokens', admin, async (_req, res) => {
    res.json({ tokens: await listFeedTokens(db) });
  });

  r.post('/feed-tokens', admin, requireJson, jsonBody({ limit: '16kb' }), async (req, res) => {
    const body = parseBody(NewFeedToken, req.body, res);
    if (!body) return;
    const at = now(), token = newToken();
    const info = await createFeedToken(db, hashToken(token), body.name, body.sources === null ? null : [...new Set(body.sources)].sort(), req.user!.username, at);
    await recordAudit(db, at, req.user!.username, 'feed-token.create', info.id, { name: info.name, sources: info.sources });
    res.status(201).json({ ...info, token });
  });

  r.delete('/feed-tokens/:id', admin, async (req, res) => {
    const id = String(req.params.id), at = now();
    if (!(await deleteFeedToken(db, id))) return sendError(res, 'VIGIE_NOT_FOUND', `no feed token ${id}`);
    await recordAudit(db, at, req.user!.username, 'feed-token.revoke', id, {});
    res.status(204).end();
  });

  r.get('/display-tokens', admin, async (_req, res) => {
    res.json({ tokens: await listDisplayTokens(db) });
  });

  r.post('/display-tokens', admin, requireJson, jsonBody({ limit: '16kb' }), async (req, res) => {
    const body = parseBody(NewDisplayToken, req.body, res);
    if (!body) return;
    const at = now(), token = newToken(18);
    const info = await createDisplayToken(db, hashToken(token), body.name, req.user!.username, at);
    if (!info) return sendError(res, 'VIGIE_TOKEN_NAME_TAKEN', `a display token is named ${body.name}: a wall screen is set up by its name`);
    await recordAudit(db, at, req.user!.username, 'display-token.create', info.id, { name: info.name });
    res.status(201).json({ ...info, token });
  });

  r.delete('/display-tokens/:id', admin, async (req, res) => {
    const id = String(req.params.id), at = now();
    if (!(await deleteDisplayToken(db, id))) return sendError(res, 'VIGIE_NOT_FOUND', `no display token ${id}`);
    onDisplayRevoked(id);
    await recordAudit(db, at, req.user!.username, 'display-token.revoke', id, {});
    res.status(204).end();
  });
  return r;
}
