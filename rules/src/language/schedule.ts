import type { LocalClock } from '../engine/local-time.ts';

/** A cron-like schedule on local time: minute hour day-of-month month day-of-week (1 = Monday … 7 = Sunday, 0 = Sunday). */
export type Schedule = { minute: Set<number>; hour: Set<number>; day: Set<number>; month: Set<number>; weekday: Set<number> };

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, min: number, max: number): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `"${part}" is not a number, a range a-b, * or a step /n`;
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return `"${part}" is outside ${min}-${max}`;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseSchedule(text: string): Schedule | string {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return 'a schedule has five fields: minute hour day-of-month month day-of-week, e.g. "* 18-23 * * 5,6"';
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const f = FIELDS[i]!;
    const r = parseField(parts[i]!, f.min, f.max);
    if (typeof r === 'string') return `${f.name}: ${r}`;
    sets.push(r);
  }
  const weekday = new Set([...sets[4]!].map((d) => (d === 0 ? 7 : d)));
  return { minute: sets[0]!, hour: sets[1]!, day: sets[2]!, month: sets[3]!, weekday };
}

export const checkSchedule = (text: string): string | undefined => {
  const r = parseSchedule(text);
  return typeof r === 'string' ? r : undefined;
};

export function scheduleMatches(s: Schedule, c: LocalClock): boolean {
  return s.minute.has(c.minute) && s.hour.has(c.hour) && s.day.has(c.day) && s.month.has(c.month) && s.weekday.has(c.weekday);
}
