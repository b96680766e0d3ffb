import { Router } from 'express';
import { listAccounts } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireRole } from './auth-middleware.ts';

/**
 * `GET /api/v1/people` (any signed-in account): each account's username and display name, so
 * that every console names the people alerts, comments and rule versions carry ("pris en compte
 * par Claire Martin", not "cmartin"). Nothing else: no role, state or sign-in time (the accounts
 * themselves are the administrator's, `GET /api/v1/users`). Disabled accounts are listed too:
 * the history still names them.
 */
export function peopleRoutes(db: SqlClient): Router {
  const r = Router();
  r.get('/', requireRole('operator'), async (_req, res) => {
    const people = (await listAccounts(db)).map((a) => ({ username: a.username, displayName: a.displayName }));
    res.json({ people });
  });
  return r;
}
