import express, { Router } from 'express';
import { z } from 'zod';
import { parseRule, type CompiledRule, type RuleFileError } from '@vigie/rules';
import { requireJson, requireRole } from './auth-middleware.ts';
import { parseBody } from './validate.ts';

const YamlBody = z.object({ yaml: z.string().max(64 * 1024) });

/** The rules in force and the ones refused; a validator that answers at the line and field. */
export function rulesRoutes(current: () => { rules: CompiledRule[]; errors: RuleFileError[] }): Router {
  const r = Router();
  r.get('/', requireRole('operator'), (_req, res) => {
    const { rules, errors } = current();
    res.json({
      rules: rules.map((x) => ({ id: x.id, version: x.version, title: x.title, kind: x.kind, severity: x.severity, enabled: x.definition.enabled, conditions: x.conditions, definition: x.definition })),
      errors,
    });
  });
  r.post('/validate', requireRole('supervisor'), requireJson, express.json({ limit: '100kb' }), (req, res) => {
    const body = parseBody(YamlBody, req.body, res);
    if (!body) return;
    const out = parseRule(body.yaml);
    res.json(out.ok ? { ok: true, errors: [] } : { ok: false, errors: out.errors });
  });
  return r;
}
