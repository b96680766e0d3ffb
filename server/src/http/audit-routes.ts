import { Router } from 'express';
import { z } from 'zod';
import { IsoTime } from '@vigie/rules';
import { listAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireRole } from './auth-middleware.ts';
import { parseBody } from './validate.ts';

const AuditQuery = z.strictObject({
  actor: z.string().max(100).optional(),
  /** An action, or a prefix ending in `*` (`alert.*`). */
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  since: IsoTime.optional(),
  until: IsoTime.optional(),
  /** Page back: entries with an id below this one. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `GET /api/v1/audit` (supervisor): every action on alerts and silences, newest first. */
export function auditRoutes(db: SqlClient): Router {
  const r = Router();
  r.get('/', requireRole('supervisor'), async (req, res) => {
    const q = parseBody(AuditQuery, req.query, res);
    if (!q) return;
    const entries = await listAudit(db, q);
    const last = entries.at(-1);
    res.json({ entries, next: entries.length === q.limit && last ? last.id : null });
  });
  return r;
}
