import { OPERATORS, parseRule, RULE_KINDS, RuleDefinition, SEVERITIES, unknownZones as unknownZonesOf, type RuleError, type ZoneRef } from '@vigie/rules';
import type { Lang } from '../i18n/translate.ts';
import { ruleErrorMessage } from './rule-error-text.ts';

/** A problem in the editor's text, as character offsets (what CodeMirror's linter takes). */
export type RuleDiagnostic = { from: number; to: number; line: number; field: string; message: string };

type Shaped = { shape?: Record<string, unknown> & { kind?: { value?: unknown } } };
const OPTIONS = (RuleDefinition as unknown as { options: Shaped[] }).options;

/** Top-level fields of a rule of `kind` (every kind's fields when it is not known yet), from the schema itself. */
export function ruleFields(kind?: string): string[] {
  const shapes = OPTIONS.filter((o) => !kind || o.shape?.kind?.value === kind);
  const fields = new Set<string>();
  for (const o of shapes.length ? shapes : OPTIONS) for (const k of Object.keys(o.shape ?? {})) fields.add(k);
  return [...fields];
}

/** Fields and short forms inside a `where` filter. */
export const FILTER_FIELDS = ['type', 'source', 'severity', 'text', 'attributes.', 'all', 'any', 'not', 'field', 'op', 'value'] as const;

/** Offsets of a line/column (1-based) in `text`, clamped; the error spans to the end of its line. */
function range(text: string, e: RuleError): { from: number; to: number } {
  const lines = text.split('\n');
  const line = Math.min(Math.max(1, e.line), lines.length);
  let start = 0;
  for (let i = 0; i < line - 1; i++) start += lines[i]!.length + 1;
  const len = lines[line - 1]!.length;
  const from = start + Math.min(Math.max(0, e.column - 1), len);
  return { from, to: Math.max(from, start + len) };
}

/** The validator the server runs, in the browser: every error at its line and field, in the console's language. */
export function ruleDiagnostics(text: string, lang: Lang = 'fr'): RuleDiagnostic[] {
  const r = parseRule(text);
  if (r.ok) return [];
  return r.errors.map((e) => ({ ...range(text, e), line: e.line, field: e.field, message: ruleErrorMessage(lang, e) }));
}

/** The zones a valid rule's text names that the city does not have (see the rules package's `unknownZones`); none for a text that does not parse. */
export function unknownZones(text: string, zones: readonly ZoneRef[]): string[] {
  const r = parseRule(text);
  return r.ok ? unknownZonesOf(r.rule, zones) : [];
}

export type Suggestion = { label: string; type: 'property' | 'enum' | 'keyword'; apply?: string };

/**
 * What may come at the cursor, from the text of its line before it: a value after a key
 * with a closed list (kind, severity, op), otherwise a field name (top-level, or in a filter
 * when indented under `where`). `from` is where the word being typed starts.
 */
export function suggestionsAt(lineBefore: string, kind: string | undefined, inFilter: boolean): { from: number; options: Suggestion[] } | null {
  const value = /^(\s*(?:-\s*)?(?:\{\s*)?(?:[\w.]+:\s*[^,]*,\s*)*)(kind|severity|op):\s*"?(\w*)$/.exec(lineBefore);
  if (value) {
    const list = value[2] === 'kind' ? RULE_KINDS : value[2] === 'severity' ? SEVERITIES : OPERATORS;
    return { from: lineBefore.length - value[3]!.length, options: list.map((label) => ({ label, type: 'enum' })) };
  }
  const key = /^(\s*(?:-\s*)?)([\w.]*)$/.exec(lineBefore);
  if (!key) return null;
  const indented = key[1]!.length > 0;
  const names: readonly string[] = indented && inFilter ? FILTER_FIELDS : indented ? [] : ruleFields(kind);
  if (!names.length) return null;
  return { from: lineBefore.length - key[2]!.length, options: names.map((n) => ({ label: n, type: 'property', apply: n.endsWith('.') ? n : `${n}: ` })) };
}

/** The rule's kind as written so far (for completion), read leniently line by line. */
export const kindOf = (text: string): string | undefined => /^kind:\s*"?(\w+)/m.exec(text)?.[1];

/** Whether line `lineNo` (0-based) sits under a `where:` / `unless:` / `steps:` block. */
export function inFilterBlock(lines: readonly string[], lineNo: number): boolean {
  if (/^\S/.test(lines[lineNo] ?? '')) return false;
  for (let i = lineNo - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (/^\S/.test(l)) return /^(where|unless|steps):/.test(l);
  }
  return false;
}
