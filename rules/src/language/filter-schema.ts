export const OPERATORS = [
  'eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'glob', 'contains', 'exists',
  'inZone', 'withinMeters', 'hourBetween', 'dayOfWeek',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number | boolean;

/** Top-level event fields a filter may name; `attributes.<name>` reaches an attribute. */
/** `family` is the first segment of the type (`incident` for `incident.assault`). */
export const EVENT_FIELDS = ['id', 'source', 'type', 'family', 'severity', 'text', 'time', 'location.lat', 'location.lon'] as const;
const ATTRIBUTE_RE = /^attributes\.[A-Za-z0-9_.-]{1,64}$/;

export function isFieldPath(f: unknown): f is string {
  return typeof f === 'string' && ((EVENT_FIELDS as readonly string[]).includes(f) || ATTRIBUTE_RE.test(f));
}
export const FIELD_HELP = `one of ${EVENT_FIELDS.join(', ')} or attributes.<name>`;

export type Condition = { field?: string; op: Operator; value?: unknown };

/** A filter: the short form `{field: value}`, or `all` / `any` / `not` over conditions. */
export type Filter =
  | { all: Filter[] }
  | { any: Filter[] }
  | { not: Filter }
  | Condition
  | Record<string, Scalar | Scalar[]>;

/**
 * Why a filter was refused, as data beside its English message, for an editor to word it in
 * its own language (an unknown operator is `one_of` the operators, an unknown field a `field_ref`).
 */
export type FilterReason =
  | { key: 'filter_mapping' | 'filter_empty' | 'filter_value' | 'field_ref' }
  | { key: 'filter_alone' | 'filter_list'; word: 'all' | 'any' | 'not' }
  | { key: 'condition_key'; name: string }
  | { key: 'needs_field'; op: Operator }
  | { key: 'op_value'; op: Operator }
  | { key: 'type_pattern'; value: string }
  | { key: 'one_of'; values: string[] };

export type FilterIssue = { path: (string | number)[]; message: string; reason: FilterReason };

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const dayIndex = (d: unknown): number =>
  typeof d === 'number' ? d : DAYS.indexOf(String(d).toLowerCase().slice(0, 3) as (typeof DAYS)[number]) + 1;

const isScalar = (v: unknown): v is Scalar => ['string', 'number', 'boolean'].includes(typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHour = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 24;

/** What each operator's `value` must be; undefined when it is fine. */
function checkValue(op: Operator, value: unknown, hasField: boolean): string | undefined {
  switch (op) {
    case 'eq': case 'ne': case 'contains':
      return isScalar(value) ? undefined : `${op} takes a string, number or boolean`;
    case 'glob':
      return typeof value === 'string' ? undefined : 'glob takes a pattern such as "accident.*"';
    case 'gt': case 'gte': case 'lt': case 'lte':
      return typeof value === 'number' ? undefined : `${op} takes a number`;
    case 'in': case 'nin':
      return Array.isArray(value) && value.length > 0 && value.every(isScalar) ? undefined : `${op} takes a non-empty list`;
    case 'exists':
      return value === undefined || typeof value === 'boolean' ? undefined : 'exists takes true or false';
    case 'inZone':
      return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((z) => typeof z === 'string'))
        ? undefined : 'inZone takes a zone id, "tag:<tag>", or a list of them';
    case 'withinMeters':
      return isObject(value) && typeof value.lat === 'number' && typeof value.lon === 'number' && typeof value.meters === 'number' && value.meters > 0
        ? undefined : 'withinMeters takes {lat, lon, meters}';
    case 'hourBetween':
      return Array.isArray(value) && value.length === 2 && value.every(isHour) ? undefined : 'hourBetween takes [from, to] hours, e.g. [22, 6]';
    case 'dayOfWeek': {
      const ok = Array.isArray(value) && value.length > 0 && value.every((d) => dayIndex(d) >= 1 && dayIndex(d) <= 7);
      return ok ? undefined : 'dayOfWeek takes a list of days: mon..sun or 1..7 (Monday = 1)';
    }
  }
  void hasField;
  return undefined;
}

const SPATIAL_OR_TIME: readonly Operator[] = ['inZone', 'withinMeters', 'hourBetween', 'dayOfWeek'];

/** What an event type may hold (lowercase, dotted, see domain/event.ts), with the glob's * and ?. */
const TYPE_PATTERN = /^[a-z0-9_.*?-]+$/;

/**
 * A `type` value no event can have (a regular expression, capitals, spaces): the rule would
 * match nothing while it reads as valid. The message for it, or undefined.
 */
function typeValueIssue(v: unknown): { message: string; reason: FilterReason } | undefined {
  const values = Array.isArray(v) ? v : [v];
  const bad = values.find((x) => typeof x === 'string' && !TYPE_PATTERN.test(x));
  return bad === undefined ? undefined : {
    message: `"${String(bad)}" can never be an event type: types are lowercase and dotted ("incident.assault"), with * and ? as the only wildcards ("incident.*"), not a regular expression`,
    reason: { key: 'type_pattern', value: String(bad) },
  };
}

/** Checks a filter and says, for each mistake, where it is and what was expected. */
export function checkFilter(value: unknown, path: (string | number)[] = []): FilterIssue[] {
  if (!isObject(value)) return [{ path, message: 'a filter is a mapping, e.g. { type: "accident.*" }', reason: { key: 'filter_mapping' } }];
  const keys = Object.keys(value);
  for (const comb of ['all', 'any'] as const) {
    if (comb in value) {
      if (keys.length !== 1) return [{ path, message: `"${comb}" stands alone in its mapping`, reason: { key: 'filter_alone', word: comb } }];
      const list = value[comb];
      if (!Array.isArray(list) || list.length === 0) return [{ path: [...path, comb], message: `"${comb}" takes a non-empty list of filters`, reason: { key: 'filter_list', word: comb } }];
      return list.flatMap((f, i) => checkFilter(f, [...path, comb, i]));
    }
  }
  if ('not' in value) {
    if (keys.length !== 1) return [{ path, message: '"not" stands alone in its mapping', reason: { key: 'filter_alone', word: 'not' } }];
    return checkFilter(value.not, [...path, 'not']);
  }
  if ('op' in value) {
    const issues: FilterIssue[] = [];
    for (const k of keys) if (!['field', 'op', 'value'].includes(k)) issues.push({ path: [...path, k], message: `unknown key "${k}" in a condition (field, op, value)`, reason: { key: 'condition_key', name: k } });
    const op = value.op as Operator;
    if (!(OPERATORS as readonly string[]).includes(String(op))) {
      issues.push({ path: [...path, 'op'], message: `unknown operator "${String(op)}": use one of ${OPERATORS.join(', ')}`, reason: { key: 'one_of', values: [...OPERATORS] } });
      return issues;
    }
    const needsField = !SPATIAL_OR_TIME.includes(op);
    if (needsField && value.field === undefined) issues.push({ path: [...path, 'field'], message: `${op} needs a field`, reason: { key: 'needs_field', op } });
    if (value.field !== undefined && !isFieldPath(value.field)) issues.push({ path: [...path, 'field'], message: `unknown field: use ${FIELD_HELP}`, reason: { key: 'field_ref' } });
    const wrong = checkValue(op, value.value, value.field !== undefined);
    const bad = wrong !== undefined ? { message: wrong, reason: { key: 'op_value', op } as const }
      : value.field === 'type' && ['eq', 'in', 'glob'].includes(op) ? typeValueIssue(value.value) : undefined;
    if (bad) issues.push({ path: [...path, 'value'], ...bad });
    return issues;
  }
  if (keys.length === 0) return [{ path, message: 'an empty filter: name at least one field', reason: { key: 'filter_empty' } }];
  return keys.flatMap((k): FilterIssue[] => {
    if (!isFieldPath(k)) return [{ path: [...path, k], message: `unknown field "${k}": use ${FIELD_HELP}`, reason: { key: 'field_ref' } }];
    const v = value[k];
    const typeIssue = k === 'type' ? typeValueIssue(v) : undefined;
    if (typeIssue) return [{ path: [...path, k], ...typeIssue }];
    if (isScalar(v)) return [];
    if (Array.isArray(v) && v.length > 0 && v.every(isScalar)) return [];
    return [{ path: [...path, k], message: 'a value, a glob such as "accident.*", or a list of values', reason: { key: 'filter_value' } }];
  });
}
