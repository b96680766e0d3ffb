export type TemplateParams = Record<string, string | number | undefined>;

/** Fills `{name}` placeholders; an unknown name is left as written so a typo stays visible. */
export function renderTemplate(template: string, params: TemplateParams): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}
