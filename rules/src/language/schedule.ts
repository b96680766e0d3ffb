import type { LocalClock } from '../engine/local-time.ts';

/** A cron-like schedule on local time: minute hour day-of-month month day-of-week (1 = Monday … 7 = Sunday, 0 = Sunday). */
export type Schedule = { minute: Set<number>; hour: Set<number>; day: Set<number>; month: Set<number>; weekday: Set<number> };

const FIELDS = [
  { name: 'minute', key: 'minute', min: 0, max: 59 },
  { name: 'hour', key: 'hour', min: 0, max: 23 },
  { name: 'day of month', key: 'day', min: 1, max: 31 },
  { name: 'month', key: 'month', min: 1, max: 12 },
  { name: 'day of week', key: 'weekday', min: 0, max: 7 },
] as const;

/**
 * Why a schedule was refused, as data beside its English message: not five fields, or one
 * field's `part` that is not a number, range, * or step (`syntax`), or outside `min`-`max`.
 */
export type ScheduleReason =
  | { key: 'schedule_fields' }
  | { key: 'schedule_part'; field: (typeof FIELDS)[number]['key']; part: string; problem: 'syntax' | 'range'; min: number; max: number };
export type ScheduleProblem = { message: string; reason: ScheduleReason };

function parseField(text: string, f: (typeof FIELDS)[number]): Set<number> | ScheduleProblem {
  const { min, max } = f;
  const out = new Set<number>();
  const problem = (part: string, kind: 'syntax' | 'range', message: string): ScheduleProblem =>
    ({ message: `${f.name}: ${message}`, reason: { key: 'schedule_part', field: f.key, part, problem: kind, min, max } });
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return problem(part, 'syntax', `"${part}" is not a number, a range a-b, * or a step /n`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return problem(part, 'range', `"${part}" is outside ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The schedule, or what is wrong with it. */
export function readSchedule(text: string): Schedule | ScheduleProblem {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    return { message: 'a schedule has five fields: minute hour day-of-month month day-of-week, e.g. "* 18-23 * * 5,6"', reason: { key: 'schedule_fields' } };
  }
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const r = parseField(parts[i]!, FIELDS[i]!);
    if (!(r instanceof Set)) return r;
    sets.push(r);
  }
  const weekday = new Set([...sets[4]!].map((d) => (d === 0 ? 7 : d)));
  return { minute: sets[0]!, hour: sets[1]!, day: sets[2]!, month: sets[3]!, weekday };
}

export function parseSchedule(text: string): Schedule | string {
  const r = readSchedule(text);
  return 'reason' in r ? r.message : r;
}

export const checkSchedule = (text: string): ScheduleProblem | undefined => {
  const r = readSchedule(text);
  return 'reason' in r ? r : undefined;
};

export function scheduleMatches(s: Schedule, c: LocalClock): boolean {
  return s.minute.has(c.minute) && s.hour.has(c.hour) && s.day.has(c.day) && s.month.has(c.month) && s.weekday.has(c.weekday);
}
