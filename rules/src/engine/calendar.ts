/** A major event of the city's calendar, as the engine needs it (times in ms). */
export type CalendarEntry = {
  id: string;
  kind: string;
  start: number;
  end: number;
  /** Phase windows; without them the whole span is `during`. */
  phases?: Partial<Record<'arrival' | 'during' | 'departure', [number, number]>>;
};

/** Whether instant `t` falls in an entry named (by kind or id) and, if given, in that phase. */
export function calendarActive(entries: readonly CalendarEntry[], name: string, phase: string | undefined, t: number): boolean {
  return entries.some((e) => {
    if (e.kind !== name && e.id !== name) return false;
    if (!phase) {
      const from = Math.min(e.start, e.phases?.arrival?.[0] ?? e.start);
      const to = Math.max(e.end, e.phases?.departure?.[1] ?? e.end);
      return t >= from && t < to;
    }
    const span = e.phases?.[phase as 'arrival'] ?? (phase === 'during' ? [e.start, e.end] : undefined);
    return !!span && t >= span[0] && t < span[1];
  });
}
