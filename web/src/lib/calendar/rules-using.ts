import type { CalendarEvent, RuleSummary } from '@vigie/rules';

/**
 * The rules an event's removal changes: those active during the calendar (`activeDuring:
 * {calendar}`) that name this event by its id, or its kind (they stop being active during it).
 */
export function rulesUsingEvent(rules: readonly RuleSummary[], event: Pick<CalendarEvent, 'id' | 'kind'>): RuleSummary[] {
  return rules.filter((r) => {
    const during = r.definition?.activeDuring;
    return !!during && 'calendar' in during && (during.calendar === event.id || during.calendar === event.kind);
  });
}
