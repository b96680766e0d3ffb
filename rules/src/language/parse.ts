import type { core } from 'zod';
import { LineCounter, parseDocument, isAlias, isNode, visit } from 'yaml';
import { reasonOfIssue, valueAt, type ItemReason } from '../domain/item-reason.ts';
import type { FilterReason } from './filter-schema.ts';
import { RULE_KINDS, RuleDefinition } from './rule-schema.ts';
import type { ScheduleReason } from './schedule.ts';

/**
 * Why a rule was refused, as data beside its English message, for an editor to say it in its
 * own language: the ingest's reasons (required, one_of, unknown_field…), the rule language's
 * own (a duration, a distance, an event field, a groupBy, not a mapping, an alias bomb, one
 * measure of a threshold, a step name used twice), a filter's and a schedule's checks, and
 * unreadable YAML with the yaml library's error `code` (TAB_AS_INDENT, MISSING_CHAR, …).
 */
export type RuleReason =
  | ItemReason
  | { key: 'duration' | 'distance' | 'field_ref' | 'group_by' | 'mapping' | 'aliases' | 'one_measure' | 'early_sum' | 'early_without_suppress' }
  | { key: 'yaml'; code?: string }
  | { key: 'step_twice'; name: string }
  | { key: 'translation_language' | 'translation_own' }
  | { key: 'translation_actions'; count: number }
  | FilterReason
  | ScheduleReason;

/** One mistake in a rule, located in its YAML text (1-based line and column); `reason` when it has one a client can word. */
export type RuleError = { line: number; column: number; field: string; message: string; reason?: RuleReason };

const RULE_REASONS = new Set(['duration', 'distance', 'field_ref', 'group_by']);
/** Reasons the schema's own checks give as data (`params.reason`), beside their message. */
const isRuleReason = (r: unknown): r is RuleReason =>
  typeof r === 'object' && r !== null && typeof (r as { key?: unknown }).key === 'string';
export type ParseResult = { ok: true; rule: RuleDefinition } | { ok: false; errors: RuleError[] };

const MAX_RULE_BYTES = 64 * 1024;
/** The yaml library's bound on alias expansion (`maxAliasCount`). */
const MAX_ALIAS_COUNT = 50;
/**
 * The deepest a rule's values may nest (mappings and lists in one another: `all`, `any`, `not`
 * inside one another). A real rule nests a few levels; a thousand would overflow the
 * validator's stack.
 */
const MAX_DEPTH = 32;

const DEEP = `nested too deeply: at most ${MAX_DEPTH} levels (all, any and not inside one another)`;

/** The path to the first value nested deeper than MAX_DEPTH, or undefined (iterative: no stack to overflow). */
function tooDeep(data: unknown): (string | number)[] | undefined {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: data, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_DEPTH) return path;
    for (const [k, child] of Object.entries(v)) stack.push({ v: child, path: [...path, Array.isArray(v) ? Number(k) : k] });
  }
  return undefined;
}

/** Parses and validates one rule written in YAML; every error says where and which field. */
export function parseRule(yamlText: string): ParseResult {
  if (yamlText.length > MAX_RULE_BYTES) {
    return { ok: false, errors: [{ line: 1, column: 1, field: '', message: `a rule is at most ${MAX_RULE_BYTES} bytes`, reason: { key: 'too_long', limit: MAX_RULE_BYTES } }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        // The YAML reader itself gives up on values nested thousands deep: said as the depth check says it.
        if (/call stack/i.test(e.message)) return { line: pos.line, column: pos.col, field: '', message: DEEP, reason: { key: 'too_big', limit: MAX_DEPTH } };
        return { line: pos.line, column: pos.col, field: '', message: e.message.split('\n')[0]!, reason: { key: 'yaml', code: e.code } };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library throws when aliases expand too far (a "billion laughs" document): a
    // mistake in the rule, located at its first alias, not a failure of the caller.
    let at: [number, number, number] | undefined;
    visit(doc, { Alias: (_key, node) => { if (isAlias(node) && node.range) { at = node.range; return visit.BREAK; } return undefined; } });
    const pos = at ? lineCounter.linePos(at[0]) : { line: 1, col: 1 };
    const text = (e as Error).message;
    // An alias to no anchor ("Unresolved alias") is a plain mistake; too many of them, a bomb.
    const bomb = /alias/i.test(text) && !/unresolved/i.test(text);
    const message = bomb
      ? 'too many aliases: expanding them would make the rule far larger than its text (an alias bomb); write the values out'
      : `the YAML cannot be read: ${text}`;
    const reason: RuleReason = bomb ? { key: 'aliases' } : { key: 'yaml', code: /unresolved/i.test(text) ? 'BAD_ALIAS' : undefined };
    return { ok: false, errors: [{ line: pos.line, column: pos.col, field: '', message, reason }] };
  }
  const locate = (path: (string | number)[]): { line: number; column: number } => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
  // Where a key is missing or unknown, point at the key itself rather than its parent.
  const locateKey = (path: (string | number)[], key: string) => {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (parent && typeof parent === 'object' && 'items' in parent && Array.isArray(parent.items)) {
      for (const pair of parent.items as { key?: { value?: unknown; range?: [number, number, number] } }[]) {
        if (pair.key?.value === key && pair.key.range) {
          const pos = lineCounter.linePos(pair.key.range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
    }
    return locate(path);
  };

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ line: 1, column: 1, field: '', message: 'a rule is a YAML mapping (id, title, severity, kind, …)', reason: { key: 'mapping' } }] };
  }
  const deep = tooDeep(data);
  if (deep) {
    return { ok: false, errors: [{ ...locate(deep), field: deep.join('.'), message: DEEP, reason: { key: 'too_big', limit: MAX_DEPTH } }] };
  }
  const kind = (data as Record<string, unknown>).kind;
  if (!(RULE_KINDS as readonly unknown[]).includes(kind)) {
    const message = kind === undefined ? `kind is required: one of ${RULE_KINDS.join(', ')}` : `unknown kind "${String(kind)}": one of ${RULE_KINDS.join(', ')}`;
    return { ok: false, errors: [{ ...locate(['kind']), field: 'kind', message, reason: { key: 'one_of', values: [...RULE_KINDS] } }] };
  }

  const parsed = RuleDefinition.safeParse(data);
  if (parsed.success) return { ok: true, rule: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): RuleError[] => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ ...locateKey(path, k), field: [...path, k].join('.'), message: `unknown field "${k}"`, reason: { key: 'unknown_field' } as const }));
    }
    // zod v4's issues do not carry the input: a field is missing when the data has no value at its path.
    const missing = issue.code === 'invalid_type' && valueAt(data, path) === undefined;
    const last = path[path.length - 1];
    const pos = missing && typeof last === 'string' ? locateKey(path.slice(0, -1), last) : locate(path);
    return [{ ...pos, field: path.join('.'), message: missing ? 'required' : issue.message, ...reasonOf(issue, data) }];
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

/**
 * The reason of a schema issue: the rule language's own checks say theirs (`params.reason`: a
 * key, or the whole reason with its figures for a filter's or a schedule's check).
 */
function reasonOf(issue: core.$ZodIssue, data: unknown): { reason?: RuleReason } {
  if (issue.code !== 'custom') return { reason: reasonOfIssue(issue, data) };
  const given = (issue.params as { reason?: unknown } | undefined)?.reason;
  if (typeof given === 'string') return RULE_REASONS.has(given) ? { reason: { key: given } as RuleReason } : {};
  return isRuleReason(given) ? { reason: given } : {};
}
