import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** The common fields a supervisor edits in the form, beside the YAML. */
export type RuleForm = {
  title: string;
  severity: string;
  /** `window` (threshold, anomaly) */
  window: string;
  /** `count.gte` of a threshold rule; '' when absent */
  threshold: string;
  /** `zones`, comma-separated */
  zones: string;
  /** `activeDuring.cron` */
  schedule: string;
};

export type FormField = keyof RuleForm;
export const FORM_FIELDS: readonly FormField[] = ['title', 'severity', 'window', 'threshold', 'zones', 'schedule'];

const PATHS: Record<FormField, readonly string[]> = {
  title: ['title'],
  severity: ['severity'],
  window: ['window'],
  threshold: ['count', 'gte'],
  zones: ['zones'],
  schedule: ['activeDuring', 'cron'],
};

function parse(text: string): Document | null {
  const doc = parseDocument(text, { keepSourceTokens: false });
  return doc.errors.length || !isMap(doc.contents) ? null : doc;
}

function scalarText(doc: Document, path: readonly string[]): string {
  const node = doc.getIn(path, true);
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value);
  if (isSeq(node)) return node.items.map((i) => (isScalar(i) ? String(i.value) : '')).filter(Boolean).join(', ');
  return '';
}

/** The form's values read from the YAML text; null while the text is not a YAML mapping. */
export function readForm(text: string): RuleForm | null {
  const doc = parse(text);
  if (!doc) return null;
  const form = {} as RuleForm;
  for (const f of FORM_FIELDS) form[f] = scalarText(doc, PATHS[f]);
  return form;
}

function toValue(field: FormField, raw: string): unknown {
  const v = raw.trim();
  if (field === 'zones') return v.split(',').map((z) => z.trim()).filter(Boolean);
  // Any number typed goes in as a number (−3 too: the rule then says why it cannot be), not as text;
  // "1,000" or "2,5" stay text, refused as such (a comma is a thousands separator in English, a decimal one in French).
  if (field === 'threshold') return /^[-+]?\d+(?:\.\d+)?$/.test(v) ? Number(v) : v;
  return v;
}

/** Removes a key and then its parent map when that is left empty (`activeDuring: {}`, `count: {}`). */
function deletePath(doc: Document, path: readonly string[]): void {
  doc.deleteIn(path);
  for (let n = path.length - 1; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n), true);
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, n));
    else break;
  }
}

/**
 * The YAML text with one form field changed, everything else (comments, order, other
 * fields) kept: edits go through the `yaml` Document, not through re-serialising data.
 * An empty value removes the field. Returns the text unchanged while it cannot be parsed.
 */
export function applyField(text: string, field: FormField, raw: string): string {
  const doc = parse(text);
  if (!doc) return text;
  const path = PATHS[field];
  const value = toValue(field, raw);
  const empty = Array.isArray(value) ? value.length === 0 : value === '';
  if (empty) deletePath(doc, path);
  else if (field === 'zones') {
    const seq = doc.createNode(value);
    if (isSeq(seq)) seq.flow = true;
    doc.setIn(path, seq);
  } else doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}

/**
 * The form field a validator's error is about, from its `field` (`count.gte`, `zones.1`,
 * `activeDuring.cron`): the field itself, something inside it, or the map holding it
 * (`count: abc` speaks of `count`, which the threshold field writes). Null for the others.
 */
export function formFieldOf(field: string): FormField | null {
  for (const f of FORM_FIELDS) {
    const path = PATHS[f].join('.');
    if (field === path || field.startsWith(`${path}.`) || (field !== '' && path.startsWith(`${field}.`))) return f;
  }
  return null;
}

/** The messages of `diagnostics` for each form field they are about, in their order. */
export function formErrors(diagnostics: readonly { field: string; message: string }[]): Partial<Record<FormField, string[]>> {
  const out: Partial<Record<FormField, string[]>> = {};
  for (const d of diagnostics) {
    const f = formFieldOf(d.field);
    if (f) (out[f] ??= []).push(d.message);
  }
  return out;
}
