import type { BriefingReport, CalendarEvent } from '@vigie/rules';
import { iso, type SqlClient } from '../storage/sql-client.ts';
import { computeBriefing, type BriefingEvent, type PastEvent } from './briefing.ts';
import { getCalendarEvent } from './calendar-repo.ts';
import { incidentsInBox } from './incidents-query.ts';
import { phaseSpans } from './phases.ts';
import { aroundBox, relativeSector, RELATIVE_SECTORS } from './sectors.ts';
import { accessPoints, type TransportLine } from './transport-lines.ts';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Weeks of ordinary activity behind "usual" (the briefing and the wall's figures). */
export const USUAL_WEEKS = 4;
/** At most this many past events are read. */
const MAX_HISTORY = 40;

/** The time of the first stored event (ms), Infinity when there is none. */
async function firstEventTime(db: SqlClient): Promise<number> {
  const [{ first } = { first: null }] = await db.query<{ first: unknown }>('SELECT min(time) AS first FROM events');
  return first ? Date.parse(iso(first)) : Infinity;
}

/**
 * How many of the `weeks` weeks before `at` the store holds events for: a city's first weeks
 * have no usual yet (0 counted over a week the store did not hold is not its usual).
 */
export async function historyWeeksBefore(db: SqlClient, at: number, weeks = USUAL_WEEKS): Promise<number> {
  const first = await firstEventTime(db);
  return Number.isFinite(first) ? Math.max(0, Math.min(weeks, Math.floor((at - first) / WEEK))) : 0;
}

/** The event's window, from the start of the arrival to the end of the departure. */
function windowOf(e: CalendarEvent): { from: number; hours: number } {
  const spans = phaseSpans(e);
  const from = Date.parse(spans[0]!.from);
  return { from, hours: Math.max(1, Math.ceil((Date.parse(spans[spans.length - 1]!.to) - from) / HOUR)) };
}

const asBriefingEvent = (e: CalendarEvent): BriefingEvent => ({
  id: e.id, kind: e.kind, venue: e.venue, expectedAttendance: e.expectedAttendance, startsAt: e.startsAt, hours: windowOf(e).hours,
});

async function pastEvent(db: SqlClient, e: CalendarEvent): Promise<PastEvent> {
  const w = windowOf(e);
  const points = await incidentsInBox(db, aroundBox(e.location), new Date(w.from).toISOString(), new Date(w.from + w.hours * HOUR).toISOString());
  const incidents = points.flatMap((p) => {
    const sector = relativeSector(e.location, e.perimeter, p);
    return sector ? [{ slot: Math.floor((Date.parse(p.time) - w.from) / HOUR), sector }] : [];
  });
  return { ...asBriefingEvent(e), incidents };
}

/**
 * Ordinary activity around the venue at the event's hours of the week: the mean count per
 * sector and hour slot over the USUAL_WEEKS weeks before now at the same hours of the week,
 * of those the store holds (from `first`, its first event's time, on): `weeks` says how many.
 */
async function usualAround(db: SqlClient, e: CalendarEvent, now: number, first: number): Promise<{ usual: Record<string, number[]>; weeks: number }> {
  const w = windowOf(e);
  const usual: Record<string, number[]> = Object.fromEntries(RELATIVE_SECTORS.map((s) => [s, new Array<number>(w.hours).fill(0)]));
  const firstBack = Math.max(1, Math.ceil((w.from + w.hours * HOUR - now) / WEEK));
  const held = Array.from({ length: USUAL_WEEKS }, (_, i) => w.from - (firstBack + i) * WEEK).filter((from) => from >= first);
  for (const from of held) {
    const points = await incidentsInBox(db, aroundBox(e.location), new Date(from).toISOString(), new Date(from + w.hours * HOUR).toISOString());
    for (const p of points) {
      const sector = relativeSector(e.location, e.perimeter, p);
      if (sector) usual[sector]![Math.floor((Date.parse(p.time) - from) / HOUR)]! += 1 / held.length;
    }
  }
  return { usual, weeks: held.length };
}

export type BriefingPage = BriefingReport;

/** The briefing of a stored event: its comparable past events and the usual activity read from the database. */
export async function briefingFor(db: SqlClient, id: string, lines: readonly TransportLine[], now: Date): Promise<BriefingPage | undefined> {
  const event = await getCalendarEvent(db, id);
  if (!event) return undefined;
  const past = await db.query<{ id: string }>(
    `SELECT id FROM calendar_events WHERE id <> $1 AND ends_at < $2 AND (venue = $3 OR kind = $4) ORDER BY starts_at DESC LIMIT $5`,
    [id, now.toISOString(), event.venue, event.kind, MAX_HISTORY]);
  const history: PastEvent[] = [];
  for (const { id: pastId } of past) {
    const e = await getCalendarEvent(db, pastId);
    if (e) history.push(await pastEvent(db, e));
  }
  const usual = await usualAround(db, event, now.getTime(), await firstEventTime(db));
  const briefing = computeBriefing({ target: asBriefingEvent(event), history, usual: usual.usual, accessPoints: accessPoints(lines, event.location) });
  return { event, windowStart: new Date(windowOf(event).from).toISOString(), briefing, usualWeeks: USUAL_WEEKS, historyWeeks: usual.weeks };
}
