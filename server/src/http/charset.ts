/** The `charset` parameter of a Content-Type (`application/json; charset="utf-8"` → `utf-8`), as written; undefined without one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '')?.[2];
}
