// What PostgreSQL cannot store in text or JSON: NUL, and half of a surrogate pair (JSON
// writes it as a \ud800 escape, which jsonb refuses and which no UTF-8 text can hold).
export const UNSTORABLE = { nul: 'contains a NUL character (\\u0000)', lone_surrogate: 'contains half of a UTF-16 surrogate pair (not valid Unicode)' } as const;
export type Unstorable = keyof typeof UNSTORABLE;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string): Unstorable | undefined => (s.includes('\u0000') ? 'nul' : LONE_SURROGATE.test(s) ? 'lone_surrogate' : undefined);

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * The value with what PostgreSQL could not store made storable, in strings and keys alike: NUL
 * dropped, half a surrogate pair replaced by U+FFFD. For what is kept as a record of a refusal
 * (a dead letter's reasons name the very field that could not be stored).
 */
export function storable<T>(v: T): T {
  if (typeof v === 'string') return (unstorable(v) ? v.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\ufffd') : v) as T;
  if (Array.isArray(v)) return v.map(storable) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k), storable(x)])) as T;
  return v;
}

/** The first string (or key) PostgreSQL could not store, its path and why, if any. */
export function unstorableText(v: unknown, path = ''): { field: string; key: Unstorable } | undefined {
  if (typeof v === 'string') {
    const key = unstorable(v);
    return key && { field: path, key };
  }
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      const keyProblem = unstorable(k);
      if (keyProblem) return { field: at, key: keyProblem };
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'string' || (x && typeof x === 'object')) {
        const f = unstorableText(x, at);
        if (f) return f;
      }
    }
  }
  return undefined;
}
