import ICAL from 'ical.js';
import { CALENDAR_KINDS, CalendarEventInput, CalendarKind, circlePerimeter, DEFAULT_RADIUS_M, type ItemReason, type Place } from '@vigie/rules';
import { describeIssue } from '../ingest/item-reason.ts';
import { zonedToUtc } from '../time/zoned-time.ts';

/** The venue of an event whose file names none (LOCATION): French, as the console's default language and the stock titles. */
export const NO_VENUE = 'lieu non précisé';

export type IcsOptions = {
  /** Known places: a LOCATION naming one gives the venue's position when GEO is missing. */
  places: readonly Place[];
  /** The city's time zone, for floating times and TZIDs the file does not define. */
  timeZone: string;
  /** Occurrences of recurring events are expanded up to this instant (exclusive). */
  until: Date;
  /** At most this many occurrences per recurring event. */
  maxOccurrences?: number;
};

export type IcsEvent = { uid: string; event: CalendarEventInput };
/**
 * A VEVENT not imported, as every refused item of the API says it: its place in the file, its
 * UID, and `error` `{code, message (English), field (the property), reason (as data, for a
 * console to say it in its language)}`.
 */
export type IcsRejection = { index: number; uid: string | null; error: { code: 'VIGIE_VALIDATION'; message: string; field: string; reason: ItemReason } };
export type IcsResult = { events: IcsEvent[]; rejected: IcsRejection[] };

const KIND_WORDS: Readonly<Record<string, CalendarKind>> = {
  match: 'match', sport: 'match', football: 'match', concert: 'concert', festival: 'concert', spectacle: 'concert',
  demonstration: 'demonstration', manifestation: 'demonstration', rassemblement: 'demonstration', marche: 'demonstration',
  fair: 'fair', foire: 'fair', salon: 'fair', marché: 'fair', market: 'fair',
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** The kind from X-VIGIE-KIND or CATEGORIES (French or English words). */
function kindOf(vevent: ICAL.Component): CalendarKind | undefined {
  const explicit = CalendarKind.safeParse(String(vevent.getFirstPropertyValue('x-vigie-kind') ?? '').toLowerCase());
  if (explicit.success) return explicit.data;
  for (const prop of vevent.getAllProperties('categories')) {
    for (const v of prop.getValues()) {
      // Own entries only: a category such as `constructor` is no kind.
      for (const w of [String(v).toLowerCase().trim(), fold(String(v))]) if (Object.hasOwn(KIND_WORDS, w)) return KIND_WORDS[w];
    }
  }
  return undefined;
}

/** The instant of an iCalendar time: UTC, a zone the file defines, or else the city's clock. */
function instant(t: ICAL.Time, timeZone: string): number {
  const tzid = t.zone?.tzid;
  if (tzid === 'UTC' || tzid === 'Z') return t.toJSDate().getTime();
  if (tzid && tzid !== 'floating' && ICAL.TimezoneService.has(tzid)) return t.toUnixTime() * 1000;
  return zonedToUtc({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }, timeZone);
}

/**
 * Reads an iCalendar file: one calendar event per VEVENT occurrence (RRULE, RDATE and EXDATE
 * expanded, modified occurrences applied, times converted with the file's VTIMEZONEs). The
 * venue's position is GEO, or a known place named by LOCATION; the kind is X-VIGIE-KIND or a
 * CATEGORIES word; attendance is X-VIGIE-ATTENDANCE. An event that lacks one is rejected
 * with the reason; the others are kept.
 */
export function parseIcs(text: string, o: IcsOptions): IcsResult {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== 'vcalendar') throw new Error('not an iCalendar file: VCALENDAR expected');
  // ical.js keeps zones in one global registry: this file's zones are registered for the
  // time of the reading only, so one file's VTIMEZONE never changes how another is read.
  // (Zones ical.js knows by itself, such as UTC, are left as they are.)
  const own = root.getAllSubcomponents('vtimezone').filter((tz) => !ICAL.TimezoneService.has(String(tz.getFirstPropertyValue('tzid'))));
  const zones = own.map((tz) => String(tz.getFirstPropertyValue('tzid')));
  for (const tz of own) ICAL.TimezoneService.register(tz);
  try {
    return readEvents(root, o);
  } finally {
    for (const tzid of zones) ICAL.TimezoneService.remove(tzid);
  }
}

function readEvents(root: ICAL.Component, o: IcsOptions): IcsResult {

  const vevents = root.getAllSubcomponents('vevent');
  const exceptions = new Map<string, ICAL.Component[]>();
  const masters: { index: number; vevent: ICAL.Component }[] = [];
  vevents.forEach((vevent, index) => {
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
    if (vevent.hasProperty('recurrence-id')) exceptions.set(uid, [...(exceptions.get(uid) ?? []), vevent]);
    else masters.push({ index, vevent });
  });

  const result: IcsResult = { events: [], rejected: [] };
  const placesByName = new Map(o.places.map((p) => [fold(p.name), p]));
  const max = o.maxOccurrences ?? 500;
  for (const { index, vevent } of masters) {
    const uid = vevent.getFirstPropertyValue('uid');
    const reject = (field: string, reason: ItemReason, message: string) =>
      result.rejected.push({ index, uid: uid ? String(uid) : null, error: { code: 'VIGIE_VALIDATION', message: `${field}: ${message}`, field, reason } });
    if (!uid) { reject('UID', { key: 'required' }, 'required'); continue; }
    const kind = kindOf(vevent);
    if (!kind) { reject('CATEGORIES', { key: 'one_of', values: [...CALENDAR_KINDS] }, `one of ${CALENDAR_KINDS.join(', ')} (or X-VIGIE-KIND) is required`); continue; }
    const venue = String(vevent.getFirstPropertyValue('location') ?? '').trim();
    const geo = vevent.getFirstPropertyValue('geo') as unknown as [number, number] | null;
    const place = placesByName.get(fold(venue));
    const location = geo ? { lat: Number(geo[0]), lon: Number(geo[1]) } : place ? { lat: place.lat, lon: place.lon } : undefined;
    if (!location) { reject('GEO', { key: 'required' }, `required when LOCATION does not name a known place (${venue || 'no LOCATION'})`); continue; }
    const attendance = Number(vevent.getFirstPropertyValue('x-vigie-attendance') ?? 0);
    const radius = Number(vevent.getFirstPropertyValue('x-vigie-radius') ?? DEFAULT_RADIUS_M[kind]);

    const event = new ICAL.Event(vevent, { exceptions: exceptions.get(String(uid)) ?? [] });
    const occurrences: { start: number; end: number; item: ICAL.Event; recurrence: string | null }[] = [];
    if (event.isRecurring()) {
      const it = event.iterator();
      for (let next = it.next(); next && occurrences.length < max; next = it.next()) {
        const d = event.getOccurrenceDetails(next);
        const start = instant(d.startDate, o.timeZone);
        if (start >= o.until.getTime()) break;
        occurrences.push({ start, end: instant(d.endDate, o.timeZone), item: d.item, recurrence: new Date(instant(d.recurrenceId, o.timeZone)).toISOString() });
      }
    } else {
      occurrences.push({ start: instant(event.startDate, o.timeZone), end: instant(event.endDate, o.timeZone), item: event, recurrence: null });
    }
    for (const occ of occurrences) {
      const candidate = {
        title: occ.item.summary || venue, kind, venue: venue || occ.item.location || NO_VENUE,
        location, perimeter: circlePerimeter(location, Number.isFinite(radius) && radius > 0 ? radius : DEFAULT_RADIUS_M[kind]),
        startsAt: new Date(occ.start).toISOString(), endsAt: new Date(occ.end).toISOString(),
        expectedAttendance: Number.isFinite(attendance) ? Math.round(attendance) : 0,
      };
      const parsed = CalendarEventInput.safeParse(candidate);
      if (!parsed.success) {
        const { field, message, reason } = describeIssue(parsed.error.issues[0]!, candidate);
        reject(field || 'event', reason, message);
        continue;
      }
      result.events.push({ uid: occ.recurrence ? `${String(uid)}/${occ.recurrence}` : String(uid), event: parsed.data });
    }
  }
  return result;
}
