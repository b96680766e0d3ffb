import { z } from 'zod';
import { IsoTime } from './event.ts';
import { PolygonGeometry } from './zone.ts';

/** Kinds of major event the calendar knows. */
export const CALENDAR_KINDS = ['match', 'concert', 'demonstration', 'fair'] as const;
export const CalendarKind = z.enum(CALENDAR_KINDS);
export type CalendarKind = z.infer<typeof CalendarKind>;

/** Phases of a major event, in order; `before` and `after` are outside its window. */
export const EVENT_PHASES = ['before', 'arrival', 'during', 'departure', 'after'] as const;
export type EventPhase = (typeof EVENT_PHASES)[number];

/**
 * How long a major event may last (its end at most this many days after its start): a season,
 * for a Christmas fair's five weeks; a year typed wrong (2062 for 2026) is refused.
 */
export const MAX_EVENT_DAYS = 92;

/** A major event as a supervisor writes it (create or replace). */
export const CalendarEventInput = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    kind: CalendarKind,
    venue: z.string().trim().min(1).max(200),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
    /** The perimeter around the venue (GeoJSON Polygon, [lon, lat]). */
    perimeter: PolygonGeometry,
    startsAt: IsoTime,
    endsAt: IsoTime,
    expectedAttendance: z.number().int().min(0).max(10_000_000),
    /** How long before the start the crowd arrives (the arrival phase). */
    arrivalMinutes: z.number().int().min(0).max(24 * 60).default(120),
    /** How long after the end the crowd leaves (the departure phase). */
    departureMinutes: z.number().int().min(0).max(24 * 60).default(60),
  })
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .superRefine((e, ctx) => {
    // An end years away (a typo in the year) would make the event's view, the walls and its
    // briefing count hour by hour over all of it, enough to stop the server.
    if (Date.parse(e.endsAt) - Date.parse(e.startsAt) > MAX_EVENT_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'too_big', origin: 'date', maximum: MAX_EVENT_DAYS, inclusive: true, input: e.endsAt, path: ['endsAt'], message: `must be at most ${MAX_EVENT_DAYS} days after startsAt` });
    }
  });
export type CalendarEventInput = z.infer<typeof CalendarEventInput>;

/** A stored major event. `uid` is set when it came from an iCalendar file. */
export type CalendarEvent = Omit<CalendarEventInput, 'startsAt' | 'endsAt'> & {
  id: string;
  uid: string | null;
  startsAt: string;
  endsAt: string;
  createdAt: string;
  updatedAt: string;
};

/** One phase of an event and when it holds ([from, to), ISO times). */
export type PhaseSpan = { phase: Exclude<EventPhase, 'before' | 'after'>; from: string; to: string };

/** A major event with its phase at the time of the answer (what the calendar API returns). */
export type CalendarEventWithPhase = CalendarEvent & { phase: EventPhase; spans: PhaseSpan[] };

/** Where an incident happened relative to a venue: inside its perimeter, or around it by compass quarter. */
export const RELATIVE_SECTORS = ['perimeter', 'north', 'east', 'south', 'west'] as const;
export type RelativeSector = (typeof RELATIVE_SECTORS)[number];

/** `GET /api/v1/calendar/:id/view`. */
export type CalendarEventView = {
  event: CalendarEvent;
  phase: EventPhase;
  spans: PhaseSpan[];
  /** The period the incidents cover. */
  from: string;
  to: string;
  incidents: { type: string; time: string; lat: number; lon: number; severity: number | null; sector: RelativeSector }[];
  lines: { id: string; name: string; stop: string; metres: number; path: [number, number][] }[];
  /**
   * `transportIncidents`: the network's disruptions (`transport.incident*`, `transport.alert`)
   * over the period, inside the perimeter or around it, or on a line serving the venue.
   */
  crowd: { expectedAttendance: number; crowdReports: number; transportIncidents: number; incidentsInside: number; incidentsAround: number };
  /**
   * Incidents per hour over the period (the timeline), on whole hours of the city's clock
   * (`hour`: the hour's start, 19:00, 20:00, …): the first and last hours may be partial, the
   * period starting or ending within them.
   */
  perHour: { hour: string; inside: number; around: number }[];
};

/** One line of a briefing: an hour slot (0 = first hour of the arrival) in a sector. */
export type BriefingSectorHour = { slot: number; sector: string; usual: number; extra: number; expected: number; agents: number };

/** A briefing: expected incidents per hour and where, and the plan, with the numbers behind them. */
export type Briefing = {
  comparables: { id: string; venue: string; kind: CalendarKind; expectedAttendance: number; startsAt: string; sameVenue: boolean; scale: number; incidents: number }[];
  perHour: { slot: number; expected: number; agents: number }[];
  sectors: BriefingSectorHour[];
  where: { sector: string; expected: number }[];
  barriers: { accessPoint: string; name: string; people: number; barriers: number }[];
  ratios: { attendanceFactor: number; incidentsPerPairHour: number; agentsPerPair: number; peoplePerBarrier: number };
};

/** `GET /api/v1/calendar/:id/briefing`. */
/** `historyWeeks`: how many of the `usualWeeks` before the event the store holds events for (0: no usual activity known yet). */
export type BriefingReport = { event: CalendarEvent; windowStart: string; briefing: Briefing; usualWeeks: number; historyWeeks?: number };
