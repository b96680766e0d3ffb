import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { parseRule, unknownZones, type RuleDefinition } from '@vigie/rules';
import type { RulesStore } from '../rules-store/rules-store.ts';
import { ruleQuality } from '../rules-store/rule-quality.ts';
import { getRuleVersion, listRuleVersions, listShadowAlerts, type PublishOutcome } from '../rules-store/rules-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZoneRefs } from '../storage/zones-repo.ts';
import { requireJson, requireRole } from './auth-middleware.ts';
import { backtestHandler } from './backtest-route.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

const YamlBody = z.strictObject({ yaml: z.string().max(64 * 1024) });
/** A rule version: stored as a PostgreSQL integer, so at most 2^31 - 1. */
const VersionNumber = z.number().int().min(1).max(2_147_483_647);
/** `baseVersion`: the version in force the editor started from; another one in force now is a 409 VIGIE_RULE_CONFLICT. */
const PublishBody = YamlBody.extend({ comment: z.string().max(500).default(''), shadow: z.boolean().optional(), baseVersion: VersionNumber.optional() });
const RollbackBody = z.strictObject({ version: VersionNumber, comment: z.string().max(500).default(''), baseVersion: VersionNumber.optional() });
const VersionParam = z.object({ version: z.string().regex(/^\d+$/, 'expected a whole number (1, 2, …)').transform(Number).pipe(VersionNumber) });
const ShadowBody = z.strictObject({ shadow: z.boolean() });
/** Rule quality is measured over this many days. */
const QUALITY_DAYS = 30;

export type RulesRoutesDeps = { db: SqlClient; store: RulesStore; timeZone: string; now: () => Date };

const json = [requireJson, jsonBody({ limit: '100kb' })];

/**
 * Rules: the ones in force with their quality, each rule's versions and diffs; supervisors
 * validate, backtest, publish, roll back and switch shadow mode. Operators only read.
 */
export function rulesRoutes(d: RulesRoutesDeps): Router {
  const r = Router();
  const supervisor = requireRole('supervisor');

  r.get('/', requireRole('operator'), async (req, res) => {
    const { rules, errors, shadow, stored } = d.store.current();
    // `?quality=0`: the rules without their figures (a scan of 30 days of alerts), as a console naming rules reads them.
    if (req.query.quality !== undefined && req.query.quality !== '0' && req.query.quality !== '1') {
      return sendError(res, 'VIGIE_VALIDATION', 'quality: "0" (the rules without their figures) or "1"', { issues: [{ field: 'quality', message: '"0" or "1"', reason: { key: 'one_of', values: ['0', '1'] } }] });
    }
    const quality = req.query.quality === '0' ? new Map<string, never>() : await ruleQuality(d.db, d.now(), QUALITY_DAYS);
    const meta = new Map(stored.map((s) => [s.id, s]));
    res.json({
      qualityDays: QUALITY_DAYS,
      rules: rules.map((x) => ({
        id: x.id, version: x.version, title: x.title, kind: x.kind, severity: x.severity, enabled: x.definition.enabled,
        shadow: shadow.has(x.id), updatedAt: meta.get(x.id)?.updatedAt, updatedBy: meta.get(x.id)?.updatedBy,
        conditions: x.conditions, conditionsFr: x.conditionsFr, definition: x.definition, quality: quality.get(x.id) ?? null,
      })),
      errors,
    });
  });

  /**
   * What a valid rule names that the city does not have (it would never fire there): a warning
   * each, `{zone, message, reason: {key: 'not_found'}}`; the rule is still valid and published.
   */
  const warningsOf = async (rule: RuleDefinition) => (unknownZones(rule, await listZoneRefs(d.db))).map((zone) => ({
    zone, message: `"${zone}" names no zone of the city (${zone.startsWith('tag:') ? 'no zone has this tag' : zone.startsWith('zone:') ? 'no zone is of this kind' : 'no zone has this id'}): the rule will not fire there`, reason: { key: 'not_found' as const },
  }));

  r.post('/validate', supervisor, ...json, async (req, res) => {
    const body = parseBody(YamlBody, req.body, res);
    if (!body) return;
    const out = parseRule(body.yaml);
    res.json(out.ok ? { ok: true, errors: [], warnings: await warningsOf(out.rule) } : { ok: false, errors: out.errors, warnings: [] });
  });

  r.post('/backtest', supervisor, ...json, backtestHandler(d));

  /** Publishes after validation; answers with the stored rule and version, or the right error. */
  const publish = async (req: Request, res: Response, mode: 'create' | 'update') => {
    const body = parseBody(PublishBody, req.body, res);
    if (!body) return;
    const parsed = parseRule(body.yaml);
    if (!parsed.ok) return sendError(res, 'VIGIE_RULE_INVALID', `${parsed.errors[0]!.field || 'yaml'}: ${parsed.errors[0]!.message}`, { errors: parsed.errors });
    const id = parsed.rule.id;
    if (mode === 'update' && id !== req.params.id) {
      return sendError(res, 'VIGIE_RULE_INVALID', `id: the YAML names rule "${id}", not "${String(req.params.id)}"`, { errors: [{ line: 1, column: 1, field: 'id', message: `must be ${String(req.params.id)}` }] });
    }
    // Read before publishing: once published, a failure to read the zones must not answer 500 (the client would publish again).
    const warnings = await warningsOf(parsed.rule);
    const out = await d.store.publish({ id, yaml: body.yaml, author: req.user!.username, comment: body.comment, shadow: body.shadow, base: body.baseVersion }, mode);
    answer(res, out, id, mode === 'create' ? 201 : 200, out.ok ? warnings : []);
  };
  r.post('/', supervisor, ...json, (req, res) => publish(req, res, 'create'));
  r.put('/:id', supervisor, ...json, (req, res) => publish(req, res, 'update'));

  r.get('/:id', requireRole('operator'), async (req, res) => {
    const stored = d.store.current().stored.find((s) => s.id === req.params.id);
    if (!stored) return sendError(res, 'VIGIE_NOT_FOUND', `no rule ${req.params.id}`);
    res.json({ rule: stored });
  });

  r.get('/:id/versions', requireRole('operator'), async (req, res) => {
    const versions = await listRuleVersions(d.db, req.params.id as string);
    if (!versions.length) return sendError(res, 'VIGIE_NOT_FOUND', `no rule ${req.params.id}`);
    res.json({ versions });
  });

  r.get('/:id/versions/:version', requireRole('operator'), async (req, res) => {
    const p = parseBody(VersionParam, { version: req.params.version }, res);
    if (!p) return;
    const v = await getRuleVersion(d.db, req.params.id as string, p.version);
    if (!v) return sendError(res, 'VIGIE_NOT_FOUND', `no version ${req.params.version} of rule ${req.params.id}`);
    res.json({ version: v });
  });

  r.post('/:id/rollback', supervisor, ...json, async (req, res) => {
    const body = parseBody(RollbackBody, req.body, res);
    if (!body) return;
    const id = req.params.id as string;
    const v = await getRuleVersion(d.db, id, body.version);
    if (!v) return sendError(res, 'VIGIE_NOT_FOUND', `version: no version ${body.version} of rule ${id}`);
    const comment = body.comment || `rollback to version ${body.version}`;
    const out = await d.store.publish({ id, yaml: v.yaml, author: req.user!.username, comment, base: body.baseVersion }, 'update', 'rule.rollback');
    answer(res, out, id, 200);
  });

  r.post('/:id/shadow', supervisor, ...json, async (req, res) => {
    const body = parseBody(ShadowBody, req.body, res);
    if (!body) return;
    const rule = await d.store.setShadow(req.params.id as string, body.shadow, req.user!.username);
    if (!rule) return sendError(res, 'VIGIE_NOT_FOUND', `no rule ${req.params.id}`);
    res.json({ rule });
  });

  r.get('/:id/shadow-alerts', requireRole('supervisor'), async (req, res) => {
    const alerts = await listShadowAlerts(d.db, req.params.id as string, 200);
    // None: a rule that never fired in shadow, or no rule at all (a mistyped id must not read as "nothing yet").
    if (!alerts.length && !(await listRuleVersions(d.db, req.params.id as string)).length) return sendError(res, 'VIGIE_NOT_FOUND', `no rule ${req.params.id}`);
    res.json({ alerts });
  });
  return r;
}

function answer(res: Response, out: PublishOutcome, id: string, status: number, warnings: unknown[] = []): void {
  if (out.ok) return void res.status(status).json({ rule: out.rule, version: out.version, warnings });
  if (out.reason === 'exists') return sendError(res, 'VIGIE_RULE_EXISTS', `id: rule "${id}" exists; publish a new version with PUT /api/v1/rules/${id}`);
  if (out.reason === 'not-found') return sendError(res, 'VIGIE_NOT_FOUND', `no rule ${id}: create it with POST /api/v1/rules`);
  if (out.reason === 'stale') {
    return sendError(res, 'VIGIE_RULE_CONFLICT', `baseVersion: version ${out.current.version} of rule "${id}" was published by ${out.current.updatedBy} since`, { current: out.current });
  }
  sendError(res, 'VIGIE_RULE_UNCHANGED', `yaml: rule "${id}" is the same as the version in force`);
}
