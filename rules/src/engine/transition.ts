import type { AlertTransition, EvidenceRef, Explanation } from '../domain/alert.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { renderTemplate, type TemplateParams } from '../language/template.ts';
import type { EventContext } from './context.ts';
import { centreOf } from './evidence.ts';

/** What `{zone}` says of an event that lies in no zone (the stock titles are French, as the console's default). */
export const NO_ZONE = 'hors zone';

/** Template parameters every rule can use: the key, the zone's name, and the latest event's fields. */
export function templateParams(rule: CompiledRule, key: string, count: number, e: EventContext | undefined): TemplateParams {
  const zone = rule.groupBy?.startsWith('zone') ? e?.cityZones.get(key)?.name ?? key : e?.zones.map((z) => e.cityZones.get(z)?.name ?? z)[0];
  const def = rule.definition;
  const window = 'window' in def ? def.window : 'within' in def ? def.within : undefined;
  const p: TemplateParams = { key, count, zone: zone ?? NO_ZONE, window };
  if (e) {
    p['event.type'] = e.event.type;
    p['event.source'] = e.event.source;
    p['event.severity'] = e.event.severity;
    p['event.time'] = e.event.time;
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
  extra: TemplateParams = {},
): AlertTransition {
  const params = { ...templateParams(rule, key, count, e), ...extra };
  const location = centreOf(evidence);
  return {
    kind,
    ruleId: rule.id,
    ruleVersion: rule.version,
    key,
    at,
    severity: rule.severity,
    title: renderTemplate(rule.title, params, at),
    actions: rule.actions.map((a) => renderTemplate(a, params, at)),
    ...(location ? { location } : {}),
    zones,
    count,
    explanation,
    evidence: evidence.slice(),
    ...(rule.suppressMs !== undefined ? { suppressMs: rule.suppressMs } : {}),
  };
}
