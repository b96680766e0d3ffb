import type { CalendarEvent, CalendarEventView } from '@vigie/rules';
import type { SqlClient } from '../storage/sql-client.ts';
import { incidentsInBox, transportIncidentsNear } from './incidents-query.ts';
import { phaseAt, phaseSpans } from './phases.ts';
import { aroundBox, relativeSector } from './sectors.ts';
import { servingLines, type TransportLine } from './transport-lines.ts';

const HOUR = 3_600_000;
/** Before an event starts, its view shows the incidents of the last hours around it. */
const LOOKBACK_BEFORE_MS = 3 * HOUR;

export type EventView = CalendarEventView;

/** The event view: perimeter, incidents inside and around, lines serving the venue, crowd indicators and the timeline. */
export async function eventView(db: SqlClient, event: CalendarEvent, lines: readonly TransportLine[], now: Date): Promise<EventView> {
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
  const hours = Math.max(1, Math.ceil((to - from) / HOUR));
  const perHour = Array.from({ length: hours }, (_, i) => ({ hour: new Date(from + i * HOUR).toISOString(), inside: 0, around: 0 }));
  for (const i of incidents) {
    const slot = perHour[Math.min(hours - 1, Math.floor((Date.parse(i.time) - from) / HOUR))];
    if (slot) i.sector === 'perimeter' ? slot.inside++ : slot.around++;
  }
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
