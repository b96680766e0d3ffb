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

/** Deletes the event, only in its version `ifUpdatedAt` when given; whether it did. */
export async function deleteCalendarEvent(db: SqlClient, id: string, ifUpdatedAt?: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM calendar_events WHERE id = $1 AND ($2::timestamptz IS NULL OR updated_at = $2::timestamptz) RETURNING id', [id, ifUpdatedAt ?? null]);
  return rows.length > 0;
}

export async function getCalendarEvent(db: SqlClient, id: string): Promise<CalendarEvent | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM calendar_events WHERE id = $1`, [id]);
  return row && toEvent(row);
}

/** Events whose window (arrival to departure) overlaps [from, to), by start time (the first `limit`: see pageCalendarEvents for the rest). */
export async function listCalendarEvents(db: SqlClient, from: string, to: string, limit = 500): Promise<CalendarEvent[]> {
  return (await pageCalendarEvents(db, { from, to, limit })).events;
}

/**
 * Where a page of the calendar ends: the last event's start (the database's text, microseconds
 * kept) and id, and the window the list was asked for (a cursor continues that same list).
 */
type CalendarCursor = { s: string; i: string; f: string; t: string };
const encodeCursor = (c: CalendarCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** The cursor a page gave, or undefined when `text` is not one. */
export function decodeCalendarCursor(text: string): CalendarCursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<CalendarCursor> | null;
    return c && isTime(c.s) && typeof c.i === 'string' && isTime(c.f) && isTime(c.t) ? (c as CalendarCursor) : undefined;
  } catch {
    return undefined;
  }
}

export type CalendarPageQuery = { from: string; to: string; limit: number; cursor?: string };

/**
 * One page of the events whose window overlaps [from, to), by start time then id (a stable
 * order); `nextCursor` continues after its last event, null on the last page. With a cursor,
 * the window is the cursor's (the one of its first page).
 */
export async function pageCalendarEvents(db: SqlClient, q: CalendarPageQuery): Promise<{ events: CalendarEvent[]; nextCursor: string | null }> {
  const cursor = q.cursor === undefined ? undefined : decodeCalendarCursor(q.cursor);
  const from = cursor?.f ?? q.from, to = cursor?.t ?? q.to;
  const params: unknown[] = [from, to, q.limit + 1];
  let after = '';
  if (cursor) {
    params.push(cursor.s, cursor.i);
    after = 'AND (starts_at, id) > ($4::timestamptz, $5)';
  }
  const rows = await db.query<Row & { starts_text: string }>(
    `SELECT ${COLUMNS}, starts_at::text AS starts_text FROM calendar_events
      WHERE starts_at - make_interval(mins => arrival_minutes) < $2::timestamptz
        AND ends_at + make_interval(mins => departure_minutes) > $1::timestamptz
        ${after}
      ORDER BY starts_at, id LIMIT $3`, params);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    events: page.map(toEvent),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ s: last.starts_text, i: last.id, f: from, t: to }) : null,
  };
}
