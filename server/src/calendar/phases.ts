import type { EventPhase, PhaseSpan } from '@vigie/rules';

/** What the phase computation needs of an event. */
export type PhaseTimes = { startsAt: string; endsAt: string; arrivalMinutes: number; departureMinutes: number };

const MINUTE = 60_000;

/** The event's phases with their bounds: arrival [start − arrival, start), during [start, end), departure [end, end + departure). */
export function phaseSpans(e: PhaseTimes): PhaseSpan[] {
  const start = Date.parse(e.startsAt);
  const end = Date.parse(e.endsAt);
  const iso = (ms: number) => new Date(ms).toISOString();
  const spans: PhaseSpan[] = [
    { phase: 'arrival', from: iso(start - e.arrivalMinutes * MINUTE), to: iso(start) },
    { phase: 'during', from: iso(start), to: iso(end) },
    { phase: 'departure', from: iso(end), to: iso(end + e.departureMinutes * MINUTE) },
  ];
  return spans.filter((s) => s.from < s.to);
}

/** The phase an event is in at `now` (ms since epoch). Lower bounds are inclusive, upper ones exclusive. */
export function phaseAt(e: PhaseTimes, now: number): EventPhase {
  const spans = phaseSpans(e);
  if (!spans.length || now < Date.parse(spans[0]!.from)) return 'before';
  const span = spans.find((s) => now >= Date.parse(s.from) && now < Date.parse(s.to));
  return span ? span.phase : 'after';
}

/** Whether the event is live at `now` (arrival, during or departure): the wall shows it. */
export const isLive = (e: PhaseTimes, now: number): boolean => {
  const p = phaseAt(e, now);
  return p !== 'before' && p !== 'after';
};

/** Phase changes between two phase maps (event id → phase): what the cron job reports. */
export function phaseChanges(previous: ReadonlyMap<string, EventPhase>, next: ReadonlyMap<string, EventPhase>): { id: string; from: EventPhase | null; to: EventPhase }[] {
  const changes: { id: string; from: EventPhase | null; to: EventPhase }[] = [];
  for (const [id, to] of next) {
    const from = previous.get(id) ?? null;
    if (from !== to) changes.push({ id, from, to });
  }
  return changes;
}
