import { OPERATORS, parseRule, RULE_KINDS, RuleDefinition, SEVERITIES, unknownZones as unknownZonesOf, type RuleError, type ZoneRef } from '@vigie/rules';
import { translate, type Lang } from '../i18n/translate.ts';
import { ruleErrorMessage } from './rule-error-text.ts';

/**
 * A problem in the editor's text, as character offsets (what CodeMirror's linter takes).
 * `count`: how many identical ones it stands for (the same message at the same line, said once);
 * `link`: a page that helps (the rule that already has this id).
 */
export type RuleDiagnostic = { from: number; to: number; line: number; field: string; message: string; count: number; link?: { href: string; label: string } };

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

/**
 * The same message at the same line once, counting the others (a YAML the parser cannot read
 * gives one error per character it trips on: 32 identical lines said nothing more than one).
 * The first keeps its place; its range reaches the end of the widest.
 */
export function mergeDiagnostics(list: readonly RuleDiagnostic[]): RuleDiagnostic[] {
  const byKey = new Map<string, RuleDiagnostic>();
  for (const d of list) {
    const key = `${d.line}\n${d.message}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, to: Math.max(seen.to, d.to), count: seen.count + d.count });
    else byKey.set(key, d);
  }
  return [...byKey.values()];
}

/** The validator the server runs, in the browser: every error at its line and field, in the console's language. */
export function ruleDiagnostics(text: string, lang: Lang = 'fr'): RuleDiagnostic[] {
  const r = parseRule(text);
  if (r.ok) return [];
  return mergeDiagnostics(r.errors.map((e) => ({ ...range(text, e), line: e.line, field: e.field, message: ruleErrorMessage(lang, e), count: 1 })));
}

/** The rule's `id` as its text gives it on a line of its own (`id: x`, quoted or not), with where its value is; null without one. */
export function idLine(text: string): { id: string; line: number; from: number; to: number } | null {
  let start = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(id:[ \t]*)(["']?)([^"'#\s]+)\2[ \t]*(?:#.*)?$/.exec(lines[i]!);
    if (m) return { id: m[3]!, line: i + 1, from: start + m[1]!.length, to: start + lines[i]!.length };
    start += lines[i]!.length + 1;
  }
  return null;
}

/**
 * The server refused to create rule `taken` (409 VIGIE_RULE_EXISTS): while the text still gives
 * that id, its `id` line is an error, with a link to the rule that has it.
 */
export function takenIdDiagnostic(text: string, taken: string | null, lang: Lang = 'fr'): RuleDiagnostic | null {
  const at = taken ? idLine(text) : null;
  if (!at || at.id !== taken) return null;
  return {
    from: at.from, to: at.to, line: at.line, field: 'id', count: 1,
    message: translate(lang, 'error.issue', { field: 'id', reason: translate(lang, 'rules.editor.idTaken', { id: at.id }) }),
    link: { href: `/rules/${encodeURIComponent(at.id)}`, label: translate(lang, 'rules.editor.idTakenOpen', { id: at.id }) },
  };
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
