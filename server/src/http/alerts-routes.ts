import { Router } from 'express';
import { z } from 'zod';
import { ALERT_STATUSES, IsoTime, SEVERITIES } from '@vigie/rules';
import type { AlertService } from '../alerts/alert-service.ts';
import { getAlert, lastSeq, listAlerts, type OperatorAction } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

/** A comma-separated list of values of a closed list; a value outside it is refused naming it and the list (reason one_of). */
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((s, ctx) => {
    const list = s.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.find((x) => !values.includes(x));
    if (bad === undefined) return list as T[number][];
    ctx.addIssue({ code: 'invalid_value', values: [...values], input: bad, message: `"${bad.slice(0, 40)}" is not one of ${values.join(', ')}` });
    return z.NEVER;
  });

const AlertsQuery = z.strictObject({
  status: csv(ALERT_STATUSES).optional(),
  severity: csv(SEVERITIES).optional(),
  since: IsoTime.optional(),
  zone: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

export const DISMISS_REASONS = ['false_positive', 'duplicate', 'test', 'already_handled', 'other'] as const;

const Version = { version: z.number().int().min(1).max(2_147_483_647) }; // a PostgreSQL integer
const ACTIONS = {
  ack: z.strictObject(Version),
  assign: z.strictObject({ ...Version, assignee: z.string().trim().min(1).max(100) }),
  comment: z.strictObject({ ...Version, text: z.string().trim().min(1).max(2000) }),
  resolve: z.strictObject({ ...Version, note: z.string().max(2000).optional() }),
  dismiss: z.strictObject({ ...Version, reason: z.enum(DISMISS_REASONS), note: z.string().max(2000).optional() }),
  /** Back to `open` from resolved or dismissed; why is required. */
  reopen: z.strictObject({ ...Version, note: z.string().trim().min(1, 'say why the alert is reopened').max(2000) }),
} as const;
type ActionName = keyof typeof ACTIONS;

export function alertsRoutes(db: SqlClient, alerts: AlertService): Router {
  const r = Router();
  r.use(requireRole('operator'));

  r.get('/', async (req, res) => {
    const q = parseBody(AlertsQuery, req.query, res);
    if (!q) return;
    const [list, seq] = await Promise.all([listAlerts(db, q), lastSeq(db)]);
    res.json({ alerts: list, lastSeq: seq });
  });

  r.get('/:id', async (req, res) => {
    const a = await getAlert(db, String(req.params.id));
    if (!a) return sendError(res, 'VIGIE_NOT_FOUND', `no alert ${req.params.id}`);
    res.json(a);
  });

  r.post('/:id/:action', requireJson, jsonBody({ limit: '64kb' }), async (req, res) => {
    const name = req.params.action as ActionName;
    // Own keys only: `in` would take toString, constructor… (from Object.prototype) for actions.
    if (!Object.hasOwn(ACTIONS, name)) return sendError(res, 'VIGIE_NOT_FOUND', `no action "${name}": one of ${Object.keys(ACTIONS).join(', ')}`);
    const body = parseBody(ACTIONS[name], req.body, res);
    if (!body) return;
    const { version, ...rest } = body;
    const out = await alerts.act(String(req.params.id), version, req.user!.username, { action: name, ...rest } as OperatorAction);
    if (out.ok) return res.json(out.alert);
    if (out.reason === 'not-found') return sendError(res, 'VIGIE_NOT_FOUND', `no alert ${req.params.id}`);
    if (out.reason === 'version') {
      return sendError(res, 'VIGIE_ALERT_VERSION_CONFLICT', `the alert is at version ${out.current.version}, not ${version}`, { current: out.current });
    }
    if (out.reason === 'key-active') {
      return sendError(res, 'VIGIE_ALERT_KEY_ACTIVE',
        `alert ${out.active.id} of rule ${out.active.ruleId} for the same key is ${out.active.status}: act on that one`, { current: out.current, active: out.active });
    }
    sendError(res, 'VIGIE_ALERT_TRANSITION', `cannot ${name} an alert that is ${out.current.status}`, { current: out.current });
  });
  return r;
}
