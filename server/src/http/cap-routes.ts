import { Router } from 'express';
import type { Alert } from '@vigie/rules';
import { alertsAtom } from '../feeds/cap/atom.ts';
import { alertToCap } from '../feeds/cap/cap-out.ts';
import { getAlert, listAlerts } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';

/** The CAP `sender`: this observatory, named by the host that serves it. */
const senderOf = (host: string | undefined) => `vigie@${(host ?? 'localhost').replace(/:\d+$/, '')}`;

/**
 * CAP 1.2 out: `GET /api/v1/alerts/:id.cap` and the Atom index `GET /api/v1/alerts.atom`.
 * Mounted on the API router before the alerts routes so that these paths win.
 */
export function capRoutes(db: SqlClient, now: () => Date): Router {
  const r = Router();
  r.get('/alerts.atom', requireRole('operator'), async (req, res) => {
    const base = `${req.protocol}://${req.get('host')}/api/v1`;
    const alerts = await listAlerts(db, { limit: 200 });
    res.type('application/atom+xml; charset=utf-8').send(alertsAtom(alerts, {
      selfUrl: `${base}/alerts.atom`, updated: now(),
      alertUrl: (a: Alert) => `${base}/alerts/${encodeURIComponent(a.id)}.cap`,
    }));
  });
  r.get('/alerts/:id.cap', requireRole('operator'), async (req, res) => {
    const alert = await getAlert(db, req.params.id as string);
    if (!alert) return sendError(res, 'VIGIE_NOT_FOUND', `no alert ${req.params.id}`);
    res.type('application/cap+xml; charset=utf-8').send(alertToCap(alert, { sender: senderOf(req.get('host')), consoleUrl: `${req.protocol}://${req.get('host')}` }));
  });
  return r;
}
