import type { AlertTransition, AlertTranslations, EvidenceRef, Explanation } from '../domain/alert.ts';
import type { CompiledRule } from '../language/compile-rule.ts';
import { durationText } from '../language/duration.ts';
import { hasPlaceholders, renderTemplate, type TemplateParams, type TemplateSource } from '../language/template.ts';
import type { EventContext } from './context.ts';
import { centreOf } from './evidence.ts';

/** What `{zone}` says of an event that lies in no zone (the stock titles are French, as the console's default). */
export const NO_ZONE = 'hors zone';
/** The same in a rule's translations, by language (other languages say the rule's own). */
const NO_ZONE_IN: Record<string, string> = { en: 'outside any zone' };

/** Template values every rule can use: the key, the zone's name, the window, and the latest event's fields; looked up only when a template names them. */
export function templateParams(rule: CompiledRule, key: string, count: number, e: EventContext | undefined, extra: TemplateParams = {}, noZone = NO_ZONE): TemplateSource {
  return (name) => {
    if (name in extra) return extra[name];
    switch (name) {
      case 'key': return key;
      case 'count': return count;
      case 'zone': {
        const zone = rule.groupBy?.startsWith('zone') ? e?.cityZones.get(key)?.name ?? key : e?.zones.map((z) => e.cityZones.get(z)?.name ?? z)[0];
        return zone ?? noZone;
      }
      case 'window': {
        const def = rule.definition;
        const text = 'window' in def ? def.window : 'within' in def ? def.within : undefined;
        return text === undefined ? undefined : durationText(text);
      }
    }
    if (!e) return undefined;
    switch (name) {
      case 'event.type': return e.event.type;
      case 'event.source': return e.event.source;
      case 'event.severity': return e.event.severity;
      case 'event.time': return e.event.time;
    }
    if (name.startsWith('event.attributes.')) {
      const v = e.event.attributes?.[name.slice('event.attributes.'.length)];
      return v === undefined ? undefined : String(v);
    }
    return undefined;
  };
}

/** A transition with its title, actions and centre; `evidence` becomes the transition's own (callers pass a fresh array). */
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
  extra?: TemplateParams,
): AlertTransition {
  // The template values are looked up only when the title or an action names one.
  const plainTitle = !hasPlaceholders(rule.title);
  const params = plainTitle && rule.actions.length === 0 ? undefined : templateParams(rule, key, count, e, extra ?? {});
  const title = plainTitle ? rule.title : renderTemplate(rule.title, params!, at);
  const actions = rule.actions.length === 0 ? [] : rule.actions.map((a) => renderTemplate(a, params!, at));
  const location = centreOf(evidence);
  // Built field by field in one order (no spread): the same keys, in the same order, as ever.
  const t: AlertTransition = location
    ? { kind, ruleId: rule.id, ruleVersion: rule.version, key, at, severity: rule.severity, title, actions, location, zones, count, explanation, evidence }
    : { kind, ruleId: rule.id, ruleVersion: rule.version, key, at, severity: rule.severity, title, actions, zones, count, explanation, evidence };
  if (rule.suppressMs !== undefined) t.suppressMs = rule.suppressMs;
  if (rule.translations) t.translations = translated(rule.translations, rule, key, count, e, extra, at);
  return t;
}

/** Every translation of a rule's title and actions, filled as its own are. */
function translated(
  translations: NonNullable<CompiledRule['translations']>, rule: CompiledRule, key: string, count: number,
  e: EventContext | undefined, extra: TemplateParams | undefined, at: number,
): AlertTranslations {
  const out: AlertTranslations = {};
  for (const lang in translations) {
    const { title, actions } = translations[lang]!;
    const params = templateParams(rule, key, count, e, extra ?? {}, NO_ZONE_IN[lang] ?? NO_ZONE);
    out[lang] = actions ? { title: renderTemplate(title, params, at), actions: actions.map((a) => renderTemplate(a, params, at)) } : { title: renderTemplate(title, params, at) };
  }
  return out;
}
