import { localClock, type CalendarEvent, type CalendarEventView } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';
import { incidentsInBox, transportIncidentsNear } from './incidents-query.ts';
import { phaseAt, phaseSpans } from './phases.ts';
import { aroundBox, relativeSector } from './sectors.ts';
import { servingLines, type TransportLine } from './transport-lines.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Before an event starts, its view shows the incidents of the last hours around it. */
const LOOKBACK_BEFORE_MS = 3 * HOUR;

export type EventView = CalendarEventView;

/** The start of the hour holding `ms` on the clock of `timeZone` (whole hours of its wall clock, zones half an hour off UTC included). */
export function startOfCityHour(ms: number, timeZone: string): number {
  return ms - (((ms % MINUTE) + MINUTE) % MINUTE) - localClock(ms, timeZone).minute * MINUTE;
}

/**
 * Incidents per hour over [from, to], on whole hours of the city's clock (19:00, 20:00, …,
 * not at the minute the period starts): the first bucket is the hour `from` falls in, the last
 * the one holding `to` (an hour starting exactly at `to` holds nothing and is left out), so
 * both may be partial hours. Inside the perimeter counts as `inside`, its surroundings as
 * `around`; an incident outside the period goes to the nearest hour shown. An empty period
 * keeps one bucket.
 */
export function hourlyCounts(incidents: readonly { time: string; sector: string }[], from: number, to: number, timeZone: string): EventView['perHour'] {
  const first = startOfCityHour(from, timeZone);
  const last = Math.max(first, startOfCityHour(Math.max(from, to - 1), timeZone));
  const hours = Math.round((last - first) / HOUR) + 1;
  const perHour = Array.from({ length: hours }, (_, i) => ({ hour: new Date(first + i * HOUR).toISOString(), inside: 0, around: 0 }));
  for (const incident of incidents) {
    const at = Date.parse(incident.time);
    if (!Number.isFinite(at)) continue;
    const slot = perHour[Math.min(hours - 1, Math.max(0, Math.floor((at - first) / HOUR)))]!;
    if (incident.sector === 'perimeter') slot.inside++;
    else slot.around++;
  }
  return perHour;
}

/**
 * The event view: perimeter, incidents inside and around, lines serving the venue, crowd
 * indicators and the timeline (incidents per hour on whole hours of `timeZone`, the city's).
 */
export async function eventView(db: SqlClient, event: CalendarEvent, lines: readonly TransportLine[], now: Date, timeZone: string): Promise<EventView> {
  const t = now.getTime();
  const spans = phaseSpans(event);
  const phase = phaseAt(event, t);
  const windowFrom = Date.parse(spans[0]!.from);
  const windowTo = Date.parse(spans[spans.length - 1]!.to);
  const from = phase === 'before' ? t - LOOKBACK_BEFORE_MS : windowFrom;
  const to = phase === 'before' ? t : Math.min(t, windowTo);
  const points = await incidentsInBox(db, aroundBox(event.location), new Date(from).toISOString(), new Date(Math.max(from, to) + 1).toISOString());
  const incidents = points.flatMap((p) => {
    const sector = relativeSector(event.location, event.perimeter, p);
    return sector ? [{ ...p, sector }] : [];
  });
  const perHour = hourlyCounts(incidents, from, Math.max(from, to), timeZone);
  const serving = servingLines(lines, event.location);
  // Transport incidents of the same window, inside the perimeter or around it (like the
  // incidents), or on a line serving the venue wherever on the line (a stopped line keeps
  // the crowd from coming or leaving).
  const servingIds = new Set(serving.map((s) => s.line.id));
  const transport = (await transportIncidentsNear(db, aroundBox(event.location), [...servingIds], new Date(from).toISOString(), new Date(Math.max(from, to) + 1).toISOString()))
    .filter((i) => (i.line !== null && servingIds.has(i.line)) || (i.lat !== null && i.lon !== null && relativeSector(event.location, event.perimeter, { lat: i.lat, lon: i.lon }) !== null));
  return {
    event, phase, spans, from: new Date(from).toISOString(), to: new Date(to).toISOString(), incidents, perHour,
    lines: serving.map(({ line, stop, metres }) => ({ id: line.id, name: line.name, stop: stop.name, metres, path: line.stops.map((s) => [s.lat, s.lon] as [number, number]) })),
    crowd: {
      expectedAttendance: event.expectedAttendance,
      crowdReports: incidents.filter((i) => i.type.startsWith('crowd.')).length,
      transportIncidents: transport.length,
      incidentsInside: incidents.filter((i) => i.sector === 'perimeter').length,
      incidentsAround: incidents.filter((i) => i.sector !== 'perimeter').length,
    },
  };
}
