import { randomUUID } from 'node:crypto';
import type { CalendarEvent, CalendarEventInput } from '@vigie/rules';
import { iso, type SqlClient } from '../storage/sql-client.ts';

type Row = {
  id: string; uid: string | null; title: string; kind: CalendarEvent['kind']; venue: string; lat: number; lon: number;
  perimeter: CalendarEvent['perimeter']; starts_at: unknown; ends_at: unknown; attendance: number;
  arrival_minutes: number; departure_minutes: number; created_at: unknown; updated_at: unknown;
};

const toEvent = (r: Row): CalendarEvent => ({
  id: r.id, uid: r.uid, title: r.title, kind: r.kind, venue: r.venue, location: { lat: Number(r.lat), lon: Number(r.lon) },
  perimeter: r.perimeter, startsAt: iso(r.starts_at), endsAt: iso(r.ends_at), expectedAttendance: Number(r.attendance),
  arrivalMinutes: Number(r.arrival_minutes), departureMinutes: Number(r.departure_minutes),
  createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
});

const COLUMNS = 'id, uid, title, kind, venue, lat, lon, perimeter, starts_at, ends_at, attendance, arrival_minutes, departure_minutes, created_at, updated_at';
const values = (e: CalendarEventInput) => [e.title, e.kind, e.venue, e.location.lat, e.location.lon, JSON.stringify(e.perimeter), e.startsAt, e.endsAt, e.expectedAttendance, e.arrivalMinutes, e.departureMinutes];

export async function createCalendarEvent(db: SqlClient, e: CalendarEventInput, now: Date, uid: string | null = null): Promise<CalendarEvent> {
  const [row] = await db.query<Row>(
    `INSERT INTO calendar_events (id, uid, title, kind, venue, lat, lon, perimeter, starts_at, ends_at, attendance, arrival_minutes, departure_minutes, created_at, updated_at)
     VALUES ($12, $13, $1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $14, $14) RETURNING ${COLUMNS}`,
    [...values(e), randomUUID(), uid, now.toISOString()]);
  return toEvent(row!);
}

/** Creates or updates by iCalendar uid; `created` says which. */
export async function upsertCalendarEventByUid(db: SqlClient, uid: string, e: CalendarEventInput, now: Date): Promise<{ event: CalendarEvent; created: boolean }> {
  const [row] = await db.query<Row & { inserted: boolean }>(
    `INSERT INTO calendar_events (id, uid, title, kind, venue, lat, lon, perimeter, starts_at, ends_at, attendance, arrival_minutes, departure_minutes, created_at, updated_at)
     VALUES ($12, $13, $1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $14, $14)
     ON CONFLICT (uid) DO UPDATE SET title = EXCLUDED.title, kind = EXCLUDED.kind, venue = EXCLUDED.venue, lat = EXCLUDED.lat,
       lon = EXCLUDED.lon, perimeter = EXCLUDED.perimeter, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
       attendance = EXCLUDED.attendance, arrival_minutes = EXCLUDED.arrival_minutes, departure_minutes = EXCLUDED.departure_minutes,
       updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    [...values(e), randomUUID(), uid, now.toISOString()]);
  return { event: toEvent(row!), created: Boolean(row!.inserted) };
}

/**
 * Replaces event `id`; with `ifUpdatedAt`, only while it is still the version updated then
 * (undefined when there is no such event or it changed since: getCalendarEvent tells which).
 */
export async function replaceCalendarEvent(db: SqlClient, id: string, e: CalendarEventInput, now: Date, ifUpdatedAt?: string): Promise<CalendarEvent | undefined> {
  const [row] = await db.query<Row>(
    `UPDATE calendar_events SET title = $1, kind = $2, venue = $3, lat = $4, lon = $5, perimeter = $6::jsonb, starts_at = $7, ends_at = $8,
       attendance = $9, arrival_minutes = $10, departure_minutes = $11, updated_at = $13
     WHERE id = $12 AND ($14::timestamptz IS NULL OR updated_at = $14::timestamptz) RETURNING ${COLUMNS}`,
    [...values(e), id, now.toISOString(), ifUpdatedAt ?? null]);
  return row && toEvent(row);
}

export async function deleteCalendarEvent(db: SqlClient, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM calendar_events WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}

export async function getCalendarEvent(db: SqlClient, id: string): Promise<CalendarEvent | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM calendar_events WHERE id = $1`, [id]);
  return row && toEvent(row);
}

/** Events whose window (arrival to departure) overlaps [from, to), by start time. */
export async function listCalendarEvents(db: SqlClient, from: string, to: string, limit = 500): Promise<CalendarEvent[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM calendar_events
      WHERE starts_at - make_interval(mins => arrival_minutes) < $2::timestamptz
        AND ends_at + make_interval(mins => departure_minutes) > $1::timestamptz
      ORDER BY starts_at, id LIMIT $3`, [from, to, limit]);
  return rows.map(toEvent);
}
