import type { Condition, Filter, Scalar } from './filter-schema.ts';

const OP_WORDS: Record<string, string> = {
  eq: '=', ne: '≠', in: 'in', nin: 'not in', gt: '>', gte: '≥', lt: '<', lte: '≤',
  glob: 'matches', contains: 'contains', exists: 'exists',
};
const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A filter in plain words, for explanations: `type matches accident.* and severity ≥ 4`. */
export function describeFilter(f: Filter | undefined): string {
  if (!f) return 'every event';
  if ('all' in f && Array.isArray(f.all)) return (f.all as Filter[]).map(describeFilter).join(' and ');
  if ('any' in f && Array.isArray(f.any)) return `(${(f.any as Filter[]).map(describeFilter).join(' or ')})`;
  if ('not' in f && typeof f.not === 'object') return `not (${describeFilter(f.not as Filter)})`;
  if ('op' in f && typeof f.op === 'string') {
    const c = f as Condition;
    switch (c.op) {
      case 'inZone': return `in zone ${show(c.value)}`;
      case 'withinMeters': { const v = c.value as { lat: number; lon: number; meters: number }; return `within ${v.meters} m of ${v.lat},${v.lon}`; }
      case 'hourBetween': { const [a, b] = c.value as number[]; return `between ${a}h and ${b}h`; }
      case 'dayOfWeek': return `on ${show(c.value)}`;
      case 'exists': return `${c.field} ${c.value === false ? 'is absent' : 'exists'}`;
      default: return `${c.field} ${OP_WORDS[c.op]} ${show(c.value)}`;
    }
  }
  return Object.entries(f as Record<string, Scalar | Scalar[]>)
    .map(([k, v]) => (Array.isArray(v) ? `${k} in ${show(v)}` : typeof v === 'string' && /[*?]/.test(v) ? `${k} matches ${v}` : `${k} = ${v}`))
    .join(' and ');
}
