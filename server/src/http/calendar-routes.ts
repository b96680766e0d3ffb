import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { CalendarEventInput, IsoTime, type CalendarEvent } from '@vigie/rules';
import { briefingFor } from '../calendar/briefing-data.ts';
import { createCalendarEvent, decodeCalendarCursor, deleteCalendarEvent, getCalendarEvent, pageCalendarEvents, replaceCalendarEvent, upsertCalendarEventByUid } from '../calendar/calendar-repo.ts';
import { eventView } from '../calendar/event-view.ts';
import { parseIcs } from '../calendar/ics-import.ts';
import type { PhaseBoard } from '../calendar/phase-board.ts';
import { phaseAt, phaseSpans } from '../calendar/phases.ts';
import { transportLines } from '../calendar/transport-lines.ts';
import type { Config } from '../config.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listPlaces } from '../storage/zones-repo.ts';
import { requireJson, requireRole, requireType } from './auth-middleware.ts';

/** An .ics file as it is sent: its own media type, or plain text or bytes. */
const ICS_TYPES = ['text/calendar', 'text/plain', 'application/octet-stream'];
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

const DAY = 86_400_000;
/** Recurring events of an imported file are expanded this far ahead. */
const ICS_HORIZON_MS = 366 * DAY;
/** The largest .ics file taken: the largest limit of the routes to which deploy/nginx.conf gives no limit of their own. */
export const MAX_ICS_BYTES = 2 * 1024 * 1024;

/**
 * The `updatedAt` an If-Match header names (`"<iso>"`, weak or not); undefined without the
 * header or with `*` ("any current version", RFC 9110 §13.1.1: no version to compare), null
 * when it names no time.
 */
function parseIfMatch(header: string | undefined): string | undefined | null {
  if (header === undefined || header.trim() === '*') return undefined;
  const value = header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return IsoTime.safeParse(value).success ? value : null;
}

/** An event's version as an entity tag: its `updatedAt`, which `If-Match` gives back (GET and PUT send it). */
const etagOf = (e: { updatedAt: string }) => `"${e.updatedAt}"`;

/** The answer to an If-Match that names no time (not this API's ETag). */
function badIfMatch(res: Response): void {
  sendError(res, 'VIGIE_VALIDATION', 'If-Match: expected the event\'s ETag, its updatedAt in quotes, e.g. "2026-05-01T18:00:00.000Z"', { issues: [{ field: 'If-Match', message: 'expected "<updatedAt>"', reason: { key: 'datetime' } }] });
}

/** The calendar's list is paged like `GET /api/v1/events`: `limit` events a page, `cursor` the `nextCursor` of the page before. */
const ListQuery = z.strictObject({
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  cursor: z.string().max(1000).refine((c) => decodeCalendarCursor(c) !== undefined, 'not a cursor this API gave').optional(),
});

/** What reading an event gives beside what writing it takes: passed over on a write, so that a client may send back what it read. */
const READ_ONLY = ['id', 'uid', 'createdAt', 'updatedAt', 'phase', 'spans'];
function asRead(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !READ_ONLY.includes(k)));
}

export type CalendarRoutesDeps = { db: SqlClient; config: Config; phases: PhaseBoard; now: () => Date };

/**
 * The major events calendar: operators read it, supervisors write it (JSON or an iCalendar
 * file); each event has a view and a briefing.
 */
export function calendarRoutes(d: CalendarRoutesDeps): Router {
  const r = Router();
  const withPhase = (e: CalendarEvent) => ({ ...e, phase: phaseAt(e, d.now().getTime()), spans: phaseSpans(e) });
  const changed = () => d.phases.refresh(d.now());
  const lines = async () => transportLines(await listPlaces(d.db), d.config.VIGIE_DEMO);
  const found = (res: Response, e: CalendarEvent | undefined, id: string): e is CalendarEvent => {
    if (!e) sendError(res, 'VIGIE_NOT_FOUND', `no major event ${id}`);
    return Boolean(e);
  };

  r.get('/', requireRole('operator'), async (req, res) => {
    const q = parseBody(ListQuery, req.query, res);
    if (!q) return;
    const now = d.now().getTime();
    const page = await pageCalendarEvents(d.db, { from: q.from ?? new Date(now - 30 * DAY).toISOString(), to: q.to ?? new Date(now + 365 * DAY).toISOString(), limit: q.limit, cursor: q.cursor });
    res.json({ events: page.events.map(withPhase), nextCursor: page.nextCursor });
  });

  r.post('/', requireRole('supervisor'), requireJson, jsonBody({ limit: '1mb' }), async (req, res) => {
    const input = parseBody(CalendarEventInput, asRead(req.body), res);
    if (!input) return;
    const event = await createCalendarEvent(d.db, input, d.now());
    await changed();
    res.status(201).json(withPhase(event));
  });

  r.post('/import', requireRole('supervisor'), requireType(...ICS_TYPES), express.text({ type: ICS_TYPES, limit: MAX_ICS_BYTES }), async (req, res) => {
    if (typeof req.body !== 'string' || !req.body.trim()) return sendError(res, 'VIGIE_ICS_INVALID', 'send the .ics file as the body, Content-Type: text/calendar');
    let parsed;
    try {
      parsed = parseIcs(req.body, { places: await listPlaces(d.db), timeZone: d.config.TZ, until: new Date(d.now().getTime() + ICS_HORIZON_MS) });
    } catch (e) {
      return sendError(res, 'VIGIE_ICS_INVALID', `the iCalendar file could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!parsed.events.length) return sendError(res, 'VIGIE_ICS_INVALID', 'no event of the file could be imported', { imported: 0, updated: 0, rejected: parsed.rejected });
    let imported = 0, updated = 0;
    for (const { uid, event } of parsed.events) {
      (await upsertCalendarEventByUid(d.db, uid, event, d.now())).created ? imported++ : updated++;
    }
    await changed();
    res.json({ imported, updated, rejected: parsed.rejected });
  });

  r.get('/:id', requireRole('operator'), async (req, res) => {
    const e = await getCalendarEvent(d.db, req.params.id as string);
    // Its phase changes with the clock, not its version: never answered from a cache by its tag.
    if (found(res, e, req.params.id as string)) res.setHeader('ETag', etagOf(e)).setHeader('Cache-Control', 'no-store').json(withPhase(e));
  });

  /**
   * With `If-Match: "<updatedAt>"` (the version the client loaded), a change made since is not
   * overwritten: 409 with the event as it is. `If-Match: *` replaces whatever version is current.
   */
  r.put('/:id', requireRole('supervisor'), requireJson, jsonBody({ limit: '1mb' }), async (req, res) => {
    const id = req.params.id as string;
    const ifMatch = parseIfMatch(req.get('if-match'));
    if (ifMatch === null) return badIfMatch(res);
    const input = parseBody(CalendarEventInput, asRead(req.body), res);
    if (!input) return;
    const e = await replaceCalendarEvent(d.db, id, input, d.now(), ifMatch);
    if (!e && ifMatch) {
      const current = await getCalendarEvent(d.db, id);
      if (current) return sendError(res, 'VIGIE_CALENDAR_CONFLICT', `the event was changed at ${current.updatedAt}, after the version you loaded (${ifMatch})`, { current: withPhase(current) });
    }
    if (!found(res, e, id)) return;
    await changed();
    res.setHeader('ETag', etagOf(e)).json(withPhase(e));
  });

  /** With `If-Match: "<updatedAt>"`, an event changed since is not deleted: 409 with the event as it is. */
  r.delete('/:id', requireRole('supervisor'), async (req, res) => {
    const id = req.params.id as string;
    const ifMatch = parseIfMatch(req.get('if-match'));
    if (ifMatch === null) return badIfMatch(res);
    if (!(await deleteCalendarEvent(d.db, id, ifMatch))) {
      const current = ifMatch ? await getCalendarEvent(d.db, id) : undefined;
      if (current) return sendError(res, 'VIGIE_CALENDAR_CONFLICT', `the event was changed at ${current.updatedAt}, after the version you loaded (${ifMatch})`, { current: withPhase(current) });
      return sendError(res, 'VIGIE_NOT_FOUND', `no major event ${id}`);
    }
    await changed();
    res.status(204).end();
  });

  r.get('/:id/view', requireRole('operator'), async (req, res) => {
    const e = await getCalendarEvent(d.db, req.params.id as string);
    if (found(res, e, req.params.id as string)) res.json(await eventView(d.db, e, await lines(), d.now(), d.config.TZ));
  });

  r.get('/:id/briefing', requireRole('supervisor'), async (req, res) => {
    const b = await briefingFor(d.db, req.params.id as string, await lines(), d.now());
    if (found(res, b?.event, req.params.id as string)) res.json(b);
  });
  return r;
}
