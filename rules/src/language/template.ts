import { formatDuration } from './duration.ts';

export type TemplateParams = Record<string, string | number | undefined>;
/** Where a template finds its values: a record, or a function asked only for the names used. */
export type TemplateSource = TemplateParams | ((name: string) => string | number | undefined);

type Part = string | { name: string; ago: boolean };
const compiled = new Map<string, Part[]>();

function parts(template: string): Part[] {
  let p = compiled.get(template);
  if (!p) {
    p = [];
    let last = 0;
    for (const m of template.matchAll(/\{([A-Za-z0-9_.]+)(\|ago)?\}/g)) {
      if (m.index! > last) p.push(template.slice(last, m.index));
      p.push({ name: m[1]!, ago: Boolean(m[2]) });
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

/**
 * Fills `{name}` placeholders; `{name|ago}` shows a time as the span before `now` (ms), e.g.
 * "3h". An unknown name is left as written so a typo stays visible. Templates are split once
 * and remembered; values are asked for only when the template uses them.
 */
export function renderTemplate(template: string, params: TemplateSource, now?: number): string {
  const ps = parts(template);
  if (ps.length === 1 && typeof ps[0] === 'string') return ps[0];
  const get = typeof params === 'function' ? params : (n: string) => params[n];
  let out = '';
  for (const p of ps) {
    if (typeof p === 'string') { out += p; continue; }
    const v = get(p.name);
    out += v === undefined ? `{${p.name}${p.ago ? '|ago' : ''}}` : p.ago && now !== undefined ? ago(v, now) : String(v);
  }
  return out;
}
