import type { CalendarEventView } from '@vigie/rules';
import { startOfCityHour } from '../format/time.ts';

const HOUR = 3_600_000;

/** One bar of the event page's hourly chart: the hour starting at `hour` (ISO) on the city's clock. */
export type HourCount = { hour: string; inside: number; around: number };

/**
 * Incidents per hour over the view's period, counted again from its incidents on whole hours of
 * the city's clock (19:00, 20:00, …): the server's `perHour` starts where the period starts, at
 * any minute ("05:12, 06:12"), which reads as a bug in a control room. The first hour is the one
 * `from` falls in, the last the one holding `to`; inside the perimeter counts as `inside`, its
 * surroundings as `around` (as the server counts them). An incident outside the period (a clock
 * skew) goes to the nearest hour shown. Without a usable period, the server's buckets as they are.
 */
export function hourlyCounts(view: Pick<CalendarEventView, 'from' | 'to' | 'incidents' | 'perHour'>, timeZone: string): HourCount[] {
  const from = Date.parse(view.from);
  const to = Date.parse(view.to);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return view.perHour.map((h) => ({ ...h }));
  const first = startOfCityHour(from, timeZone);
  // `to` itself is the end of the period: an hour starting exactly there holds nothing.
  const last = Math.max(first, startOfCityHour(Math.max(from, to - 1), timeZone));
  const hours = Math.round((last - first) / HOUR) + 1;
  const out: HourCount[] = Array.from({ length: hours }, (_, i) => ({ hour: new Date(first + i * HOUR).toISOString(), inside: 0, around: 0 }));
  for (const incident of view.incidents) {
    const at = Date.parse(incident.time);
    if (!Number.isFinite(at)) continue;
    const slot = out[Math.min(hours - 1, Math.max(0, Math.floor((at - first) / HOUR)))]!;
    if (incident.sector === 'perimeter') slot.inside++;
    else slot.around++;
  }
  return out;
}
