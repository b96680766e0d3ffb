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
