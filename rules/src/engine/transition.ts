import type { AlertTransition, EvidenceRef, Explanation } from '../domain/alert.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { renderTemplate, type TemplateParams } from '../language/template.ts';
import type { EventContext } from './context.ts';
import { centreOf } from './evidence.ts';

/** Template parameters every rule can use: the key, the zone's name, and the latest event's fields. */
export function templateParams(rule: CompiledRule, key: string, count: number, e: EventContext | undefined): TemplateParams {
  const zone = rule.groupBy?.startsWith('zone') ? e?.cityZones.get(key)?.name ?? key : e?.zones.map((z) => e.cityZones.get(z)?.name ?? z)[0];
  const p: TemplateParams = { key, count, zone, window: rule.definition.kind === 'threshold' ? rule.definition.window : undefined };
  if (e) {
    p['event.type'] = e.event.type;
    p['event.source'] = e.event.source;
    p['event.severity'] = e.event.severity;
    for (const [k, v] of Object.entries(e.event.attributes ?? {})) p[`event.attributes.${k}`] = String(v);
  }
  return p;
}

export function makeTransition(
  kind: AlertTransition['kind'],
  rule: CompiledRule,
  key: string,
  at: number,
  count: number,
  evidence: EvidenceRef[],
  explanation: Explanation,
  e: EventContext | undefined,
  zones: string[],
): AlertTransition {
  const params = templateParams(rule, key, count, e);
  const location = centreOf(evidence);
  return {
    kind,
    ruleId: rule.id,
    ruleVersion: rule.version,
    key,
    at,
    severity: rule.severity,
    title: renderTemplate(rule.title, params),
    actions: rule.actions.map((a) => renderTemplate(a, params)),
    ...(location ? { location } : {}),
    zones,
    count,
    explanation,
    evidence: evidence.slice(),
  };
}
