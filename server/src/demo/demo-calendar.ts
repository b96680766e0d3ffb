import { circlePerimeter, localClock } from '@vigie/rules';
import { createCalendarEvent, listCalendarEvents } from '../calendar/calendar-repo.ts';
import { localToIso } from '../feeds/csv/local-time.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { DEMO_PLACES } from './places.ts';

const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Demo mode only: tonight's match at the Vélodrome (21:00–23:00 city time, its crowd gone by
 * midnight; after midnight, the coming night's), so that the calendar, the walls' event view, the briefing and the rules
 * that follow the calendar (`match-end-surge`) have something to show. Added when the
 * calendar holds nothing from 6 hours ago to a day ahead: a supervisor's own events stand.
 */
export async function seedDemoCalendar(db: SqlClient, now: Date, timeZone: string): Promise<void> {
  if ((await listCalendarEvents(db, new Date(now.getTime() - 6 * HOUR).toISOString(), new Date(now.getTime() + 24 * HOUR).toISOString(), 1)).length > 0) return;
  const venue = DEMO_PLACES.find((p) => p.id === 'stade-velodrome')!;
  const at = (t: number) => {
    const c = localClock(t, timeZone);
    return localToIso(`${c.year}-${pad(c.month)}-${pad(c.day)}`, '21:00', timeZone)!;
  };
  const startsAt = at(now.getTime());
  const location = { lat: venue.lat, lon: venue.lon };
  await createCalendarEvent(db, {
    title: 'OM – Lens (démonstration)',
    kind: 'match',
    venue: venue.name,
    location,
    perimeter: circlePerimeter(location, 800),
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 2 * HOUR).toISOString(),
    expectedAttendance: 60_000,
    arrivalMinutes: 120,
    departureMinutes: 60,
  }, now);
}
