import { Router } from 'express';
import { z } from 'zod';
import { IsoTime } from '@vigie/rules';
import { recordAudit } from '../storage/audit-repo.ts';
import { getAlert } from '../storage/alerts-repo.ts';
import { getPublishedRule } from '../rules-store/rules-repo.ts';
import { listZones } from '../storage/zones-repo.ts';
import { endSilence, listSilences, SILENCE_MATCHERS } from '../storage/silences-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { AlertService } from '../alerts/alert-service.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

const NewSilenceBody = z.strictObject({
  matcher: z.enum(SILENCE_MATCHERS),
  value: z.string().min(1).max(200),
  ruleId: z.string().min(1).max(200).optional(),
  until: IsoTime.optional(),
  untilAlert: z.string().min(1).max(100).optional(),
  reason: z.string().trim().min(1).max(1000),
}).refine((s) => (s.until === undefined) !== (s.untilAlert === undefined), {
  path: ['until'], message: 'give either until (a time) or untilAlert (an alert id): one of them, not both',
});

/** The longest a silence may last: a forgotten one must not hide a rule or a zone for months. */
export const MAX_SILENCE_HOURS = 720;

/** What the silence names must exist: a mistyped rule or zone id would silence nothing, unnoticed. */
async function unknownTarget(db: SqlClient, matcher: string, value: string): Promise<string | undefined> {
  if (matcher === 'rule') return (await getPublishedRule(db, value)) ? undefined : `no rule ${value}`;
  if (matcher === 'zone') return (await listZones(db)).some((z) => z.id === value) ? undefined : `no zone ${value}`;
  return undefined;
}

const ListQuery = z.strictObject({ all: z.enum(['1', 'true', '0', 'false']).optional() });

/** `GET/POST/DELETE /api/v1/silences` (supervisor): hold back new alerts of a rule, zone or key. */
export function silencesRoutes(db: SqlClient, now: () => Date, alerts: Pick<AlertService, 'silence' | 'releaseLapsed'>): Router {
  const r = Router();
  r.use(requireRole('supervisor'));

  r.get('/', async (req, res) => {
    const q = parseBody(ListQuery, req.query, res);
    if (!q) return;
    res.json({ silences: await listSilences(db, now(), q.all === '1' || q.all === 'true') });
  });

  r.post('/', requireJson, jsonBody({ limit: '16kb' }), async (req, res) => {
    const body = parseBody(NewSilenceBody, req.body, res);
    if (!body) return;
    const at = now();
    if (body.until && Date.parse(body.until) <= at.getTime()) return sendError(res, 'VIGIE_VALIDATION', 'until: must be in the future', { issues: [{ field: 'until', message: 'must be in the future', reason: { key: 'in_past' } }] });
    if (body.until && Date.parse(body.until) > at.getTime() + MAX_SILENCE_HOURS * 3_600_000) {
      return sendError(res, 'VIGIE_VALIDATION', `until: at most ${MAX_SILENCE_HOURS} h from now`, { issues: [{ field: 'until', message: `at most ${MAX_SILENCE_HOURS} h from now`, reason: { key: 'hours_ahead', limit: MAX_SILENCE_HOURS } }] });
    }
    if (body.untilAlert) {
      const alert = await getAlert(db, body.untilAlert);
      if (!alert) return sendError(res, 'VIGIE_VALIDATION', `untilAlert: no alert ${body.untilAlert}`, { issues: [{ field: 'untilAlert', message: 'no such alert', reason: { key: 'not_found' } }] });
      // Its end would never come: the alert is closed already.
      if (alert.status === 'resolved' || alert.status === 'dismissed') {
        return sendError(res, 'VIGIE_VALIDATION', `untilAlert: the alert ${body.untilAlert} is ${alert.status} already`, { issues: [{ field: 'untilAlert', message: `${alert.status} already`, reason: { key: 'closed' } }] });
      }
    }
    const unknown = await unknownTarget(db, body.matcher, body.value);
    if (unknown) return sendError(res, 'VIGIE_VALIDATION', `value: ${unknown}`, { issues: [{ field: 'value', message: unknown, reason: { key: 'not_found' } }] });
    const noRule = body.ruleId === undefined ? undefined : await unknownTarget(db, 'rule', body.ruleId);
    if (noRule) return sendError(res, 'VIGIE_VALIDATION', `ruleId: ${noRule}`, { issues: [{ field: 'ruleId', message: noRule, reason: { key: 'not_found' } }] });
    const { silence, held } = await alerts.silence(body, req.user!.username);
    await recordAudit(db, at, req.user!.username, 'silence.create', silence.id, { ...body, held: held.map((a) => a.id) });
    // `held`: the active alerts it holds back from now on (those it will cover come marked).
    res.status(201).json({ ...silence, held: held.length });
  });

  r.delete('/:id', async (req, res) => {
    const at = now();
    const ended = await endSilence(db, String(req.params.id), req.user!.username, at);
    if (!ended) return sendError(res, 'VIGIE_NOT_FOUND', `no active silence ${req.params.id}`);
    // The active alerts it held come back (or go to another silence in force that covers them).
    const released = await alerts.releaseLapsed();
    await recordAudit(db, at, req.user!.username, 'silence.end', ended.id, { released: released.map((a) => a.id) });
    res.json({ ...ended, released: released.length });
  });
  return r;
}
