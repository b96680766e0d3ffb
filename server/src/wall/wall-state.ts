import type { CalendarEvent, EventPhase, ScreenConfig, WallBootstrap, WallMajorEvent, WallState, Zone } from '@vigie/rules';
import type { PhaseBoard } from '../calendar/phase-board.ts';
import { phaseSpans } from '../calendar/phases.ts';
import type { TransportLine } from '../calendar/transport-lines.ts';
import { feedHealth } from '../feeds/health.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { warningZones } from '../storage/zones-repo.ts';
import { incidentsVsUsual, openAlertsBySeverity, openAlertsBySeverityIn, type FigureArea } from './figures.ts';

/** Upcoming events shown on the wall: those starting within this time. */
const UPCOMING_MS = 24 * 3_600_000;

const forWallEvent = (e: CalendarEvent, phase: EventPhase): WallMajorEvent => ({
  id: e.id, title: e.title, kind: e.kind, venue: e.venue, location: e.location, perimeter: e.perimeter,
  startsAt: e.startsAt, endsAt: e.endsAt, expectedAttendance: e.expectedAttendance, phase, spans: phaseSpans(e),
});

export function wallLines(lines: readonly TransportLine[]): WallBootstrap['lines'] {
  return lines.map((l) => ({ id: l.id, name: l.name, path: l.stops.map((s) => [s.lat, s.lon] as [number, number]) }));
}

/**
 * What a wall polls. With the screen's configuration and the city's zones, each district view
 * gets its own figures (open alerts in the zone, incidents in its outline against their usual);
 * so does each major event shown (under way, or starting within a day), in its perimeter.
 */
export async function wallState(db: SqlClient, board: PhaseBoard, now: Date, screen?: { config: ScreenConfig; zones: readonly Zone[] }): Promise<WallState> {
  const [openBySeverity, feeds, incidents, warnings, districts] = await Promise.all([
    openAlertsBySeverity(db), feedHealth(db, now), incidentsVsUsual(db, now), warningZones(db, now), screen ? districtFigures(db, now, screen.config, screen.zones) : undefined]);
  const live = board.live().map(({ event, phase }) => forWallEvent(event, phase));
  const soon = board.upcoming().filter((e) => Date.parse(e.startsAt) - now.getTime() < UPCOMING_MS).slice(0, 3).map((e) => forWallEvent(e, 'before'));
  const events = [...live, ...soon];
  const perimeters = await perimeterFigures(db, now, events);
  return {
    now: now.toISOString(),
    figures: { openBySeverity, feeds: feeds.map((f) => ({ source: f.source, status: f.status })), incidents },
    events,
    warnings,
    ...(districts ? { districts } : {}),
    ...(events.length ? { perimeters } : {}),
  };
}

/** Each event's own figures: the open alerts placed in its perimeter, and the incidents there against their usual. */
async function perimeterFigures(db: SqlClient, now: Date, events: readonly WallMajorEvent[]): Promise<NonNullable<WallState['perimeters']>> {
  const figures = await Promise.all(events.map(async (e) => {
    const area: FigureArea = { id: e.id, geometry: e.perimeter };
    return [e.id, { openBySeverity: await openAlertsBySeverityIn(db, area), incidents: await incidentsVsUsual(db, now, undefined, area) }] as const;
  }));
  return Object.fromEntries(figures);
}

async function districtFigures(db: SqlClient, now: Date, config: ScreenConfig, zones: readonly Zone[]): Promise<NonNullable<WallState['districts']>> {
  const areas = new Map<string, FigureArea>();
  for (const v of config.views) {
    const zone = v.kind === 'district' ? zones.find((z) => z.id === v.zoneId) : undefined;
    if (zone) areas.set(zone.id, zone);
  }
  const figures = await Promise.all([...areas.values()].map(async (area) =>
    [area.id, { openBySeverity: await openAlertsBySeverity(db, area.id), incidents: await incidentsVsUsual(db, now, undefined, area) }] as const));
  return Object.fromEntries(figures);
}
