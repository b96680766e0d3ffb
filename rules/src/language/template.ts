import { formatDuration } from './duration.ts';

export type TemplateParams = Record<string, string | number | undefined>;
/** Where a template finds its values: a record, or a function asked only for the names used. */
export type TemplateSource = TemplateParams | ((name: string) => string | number | undefined);

/** A placeholder: the names to try in turn (the first with a value is shown), and whether it shows a time as a span. */
type Part = string | { names: string[]; text: string; ago: boolean };
const compiled = new Map<string, Part[]>();

/** `{name}`, `{name|other}` (the first of them with a value), either followed by `|ago`. */
const PLACEHOLDER = /\{([A-Za-z0-9_.]+(?:\|[A-Za-z0-9_.]+)*)\}/g;

function parts(template: string): Part[] {
  let p = compiled.get(template);
  if (!p) {
    p = [];
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      if (m.index! > last) p.push(template.slice(last, m.index));
      const names = m[1]!.split('|'), ago = names.length > 1 && names[names.length - 1] === 'ago';
      p.push({ names: ago ? names.slice(0, -1) : names, text: m[0], ago });
      last = m.index! + m[0].length;
    }
    if (last < template.length) p.push(template.slice(last));
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(template, p);
  }
  return p;
}

function ago(v: string | number, now: number): string {
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (Number.isNaN(t)) return String(v);
  const span = Math.max(0, now - t);
  return formatDuration(span >= 3_600_000 ? Math.round(span / 3_600_000) * 3_600_000 : Math.round(span / 60_000) * 60_000) || '0m';
}

/** Whether a template holds a placeholder at all. */
export function hasPlaceholders(template: string): boolean {
  const ps = parts(template);
  return ps.length > 1 || (ps.length === 1 && typeof ps[0] !== 'string');
}

/**
 * Fills `{name}` placeholders; `{name|other}` shows the first of the names that has a value,
 * not empty (`{event.attributes.stopName|key}`: the stop's name, else its reference); `{name|ago}` shows
 * a time as the span before `now` (ms), e.g. "3h". A placeholder none of whose names has a
 * value is left as written so a typo stays visible. Templates are split once and remembered;
 * values are asked for only when the template uses them.
 */
export function renderTemplate(template: string, params: TemplateSource, now?: number): string {
  const ps = parts(template);
  if (ps.length === 1 && typeof ps[0] === 'string') return ps[0];
  const get = typeof params === 'function' ? params : (n: string) => params[n];
  let out = '';
  for (const p of ps) {
    if (typeof p === 'string') { out += p; continue; }
    // The first name with a value; an empty one gives way to the next (a stop named "" by its sender), unless it is the last.
    let v: string | number | undefined;
    for (let i = 0; i < p.names.length && (v === undefined || v === ''); i++) v = get(p.names[i]!) ?? v;
    out += v === undefined ? p.text : p.ago && now !== undefined ? ago(v, now) : String(v);
  }
  return out;
}
