import { formatDuration } from './duration.ts';

export type TemplateParams = Record<string, string | number | undefined>;

/**
 * Fills `{name}` placeholders; `{name|ago}` shows a time as the span before `now` (ms), e.g.
 * "3h". An unknown name is left as written so a typo stays visible.
 */
export function renderTemplate(template: string, params: TemplateParams, now?: number): string {
  return template.replace(/\{([A-Za-z0-9_.]+)(\|ago)?\}/g, (whole, name: string, ago?: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (ago && now !== undefined) {
      const t = typeof v === 'number' ? v : Date.parse(v);
      if (Number.isNaN(t)) return String(v);
      const span = Math.max(0, now - t);
      return formatDuration(span >= 3_600_000 ? Math.round(span / 3_600_000) * 3_600_000 : Math.round(span / 60_000) * 60_000) || '0m';
    }
    return String(v);
  });
}
