import type { Condition, Filter, Scalar } from './filter-schema.ts';

/** The languages a rule's conditions are described in: English (the API's), French (the console's default). */
export type DescribeLang = 'en' | 'fr';

/** The words of a filter's description, per language. */
const WORDS = {
  en: {
    ops: { eq: '=', ne: '≠', in: 'in', nin: 'not in', gt: '>', gte: '≥', lt: '<', lte: '≤', glob: 'matches', contains: 'contains', exists: 'exists' } as Record<string, string>,
    every: 'every event', and: ' and ', or: ' or ', not: 'not',
    present: (field: string, yes: boolean) => `${field} ${yes ? 'exists' : 'is absent'}`,
    fields: {} as Record<string, string>,
    inZone: (z: string) => `in zone ${z}`,
    within: (m: number, at: string) => `within ${m} m of ${at}`,
    hours: (a: number, b: number) => `between ${a}h and ${b}h`,
    days: (d: string) => `on ${d}`,
  },
  fr: {
    ops: { eq: '=', ne: '≠', in: 'parmi', nin: 'hors de', gt: '>', gte: '≥', lt: '<', lte: '≤', glob: 'correspond à', contains: 'contient', exists: 'présent' } as Record<string, string>,
    every: 'tout événement', and: ' et ', or: ' ou ', not: 'non',
    // "avec gravité", "sans position": no adjective to agree with the field's gender.
    present: (field: string, yes: boolean) => `${yes ? 'avec' : 'sans'} ${field}`,
    /** The event's own fields by their French names (attributes keep theirs: the feed's words). */
    fields: { severity: 'gravité', text: 'texte', time: 'heure', location: 'position' } as Record<string, string>,
    inZone: (z: string) => `dans la zone ${z}`,
    within: (m: number, at: string) => `à moins de ${m} m de ${at}`,
    hours: (a: number, b: number) => `entre ${a} h et ${b} h`,
    days: (d: string) => `le ${d}`,
  },
} as const;

const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A filter in plain words, for explanations: `type matches accident.* and severity ≥ 4` (`type correspond à accident.* et gravité ≥ 4`). */
export function describeFilter(f: Filter | undefined, lang: DescribeLang = 'en'): string {
  const w = WORDS[lang];
  const name = (field: string | undefined) => (field !== undefined && Object.hasOwn(w.fields, field) ? w.fields[field]! : String(field));
  if (!f) return w.every;
  if ('all' in f && Array.isArray(f.all)) return (f.all as Filter[]).map((x) => describeFilter(x, lang)).join(w.and);
  if ('any' in f && Array.isArray(f.any)) return `(${(f.any as Filter[]).map((x) => describeFilter(x, lang)).join(w.or)})`;
  if ('not' in f && typeof f.not === 'object') return `${w.not} (${describeFilter(f.not as Filter, lang)})`;
  if ('op' in f && typeof f.op === 'string') {
    const c = f as Condition;
    switch (c.op) {
      case 'inZone': return w.inZone(show(c.value));
      case 'withinMeters': { const v = c.value as { lat: number; lon: number; meters: number }; return w.within(v.meters, `${v.lat},${v.lon}`); }
      case 'hourBetween': { const [a, b] = c.value as number[]; return w.hours(a!, b!); }
      case 'dayOfWeek': return w.days(show(c.value));
      case 'exists': return w.present(name(c.field), c.value !== false);
      default: return `${name(c.field)} ${w.ops[c.op]} ${show(c.value)}`;
    }
  }
  return Object.entries(f as Record<string, Scalar | Scalar[]>)
    .map(([k, v]) => (Array.isArray(v) ? `${name(k)} ${w.ops.in} ${show(v)}` : typeof v === 'string' && /[*?]/.test(v) ? `${name(k)} ${w.ops.glob} ${v}` : `${name(k)} = ${v}`))
    .join(w.and);
}
