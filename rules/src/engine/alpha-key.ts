/**
 * A field's value as the alpha index keys it: the string `eq`, `in` and the short form compare
 * (`String(x)`), or undefined for a missing or null field (which equals no value). A value that
 * cannot be made a string equals none either.
 */
export function alphaKey(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  try {
    return String(v);
  } catch {
    return undefined;
  }
}
