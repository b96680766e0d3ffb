import { durationText, formatDuration, lookbackMs, parseRule, sameDetection } from '@vigie/rules';
import type { MessageKey } from '../i18n/translate.ts';

/**
 * What the editor says of a version once published (not in shadow mode): whether the engine
 * goes on from the previous version's windows (only the alerts' wording changed), or rebuilds
 * them from the stored events of the rule's lookback (`span`, as a title says a duration); or
 * that the rule changed kind (`from`, `to`), and the alerts of the former kind are ended.
 * `before`: the text in force until then (null for a new rule).
 */
export function publishedMessage(before: string | null, after: string): { key: MessageKey; span?: string; from?: string; to?: string } {
  const next = parseRule(after);
  if (!next.ok) return { key: 'rules.editor.published' };
  const prev = before === null ? undefined : parseRule(before);
  // Another kind: the alerts of the former one are ended (they watch a condition the rule no longer watches).
  if (prev?.ok && prev.rule.kind !== next.rule.kind) return { key: 'rules.editor.publishedKindChanged', from: prev.rule.kind, to: next.rule.kind };
  const ms = lookbackMs(next.rule);
  if (ms === undefined) return { key: 'rules.editor.published' }; // no window to keep or rebuild
  if (prev?.ok && sameDetection(prev.rule, next.rule)) return { key: 'rules.editor.publishedKept' };
  return { key: 'rules.editor.publishedRebuilt', span: durationText(formatDuration(ms)) };
}

/**
 * What the page of a rule just created says (a first version, in shadow mode or not), after
 * `rules.editor.created` names it: in shadow mode its alerts are only recorded; otherwise it
 * applies now, its windows (if it has any) built from the stored events of its lookback.
 */
export function createdMessage(text: string, shadow: boolean): { key: MessageKey; span?: string } {
  if (shadow) return { key: 'rules.editor.createdShadow' };
  const rule = parseRule(text);
  const ms = rule.ok ? lookbackMs(rule.rule) : undefined;
  return ms === undefined ? { key: 'rules.editor.createdLive' } : { key: 'rules.editor.createdRebuilt', span: durationText(formatDuration(ms)) };
}

/**
 * Why publishing waits, if it does, first reason first: the text has errors; it is still the
 * new rule's template; it and its shadow mode are those of the version in force (the server
 * would refuse it as unchanged); no comment says why (every version keeps one, for the audit
 * and the version list). `inForce`: the version in force (null for a new rule).
 */
export function blockedReason(p: {
  errors: number; template: boolean; text: string; shadow: boolean; comment: string; inForce: { yaml: string; shadow: boolean } | null;
}): MessageKey | null {
  if (p.errors > 0) return 'rules.editor.blocked.errors';
  if (p.template) return 'rules.editor.blocked.template';
  if (p.inForce && p.inForce.yaml === p.text && p.inForce.shadow === p.shadow) return 'rules.editor.blocked.unchanged';
  if (p.comment.trim() === '') return 'rules.editor.blocked.comment';
  return null;
}
