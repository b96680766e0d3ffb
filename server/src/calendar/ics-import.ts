import ICAL from 'ical.js';
import { CALENDAR_KINDS, CalendarEventInput, CalendarKind, circlePerimeter, DEFAULT_RADIUS_M, type ItemReason, type Place } from '@vigie/rules';
import { describeIssue } from '../ingest/item-reason.ts';
import { isRealDate, knownTimeZone, zonedToUtc } from '../time/zoned-time.ts';

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
 * console to say it in its language)}`; for a console to name the event as its users know it,
 * its `summary` (SUMMARY) and `startsAt` (its DTSTART, or the refused occurrence's start, as an
 * ISO instant), each null when the file gives none that can be read. A time that does not
 * exist (30 February) is `error.value`, as written in the file.
 */
export type IcsRejection = {
  index: number; uid: string | null; summary: string | null; startsAt: string | null;
  error: { code: 'VIGIE_VALIDATION'; message: string; field: string; reason: ItemReason; value?: string };
};
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

/**
 * The instant of an iCalendar time: UTC; a zone named by its IANA name (Europe/Paris, as most
 * files' VTIMEZONEs are) on that zone's clock; another zone the file defines by its VTIMEZONE;
 * or else the city's clock. An IANA zone is read with its own rules rather than ical.js's: on
 * the nights the clocks change, a time they skip is read with the offset before the change and
 * a time they show twice as its first occurrence (RFC 5545 §3.3.5), which ical.js gets wrong.
 */
function instant(t: ICAL.Time, timeZone: string): number {
  const tzid = t.zone?.tzid;
  const wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  if (tzid === 'UTC' || tzid === 'Z') return t.toJSDate().getTime();
  if (tzid && tzid !== 'floating' && knownTimeZone(tzid)) return zonedToUtc(wall, tzid);
  if (tzid && tzid !== 'floating' && ICAL.TimezoneService.has(tzid)) return t.toUnixTime() * 1000;
  return zonedToUtc(wall, timeZone);
}

/**
 * The end of an occurrence starting at `start` (ms): by DTEND, or by a DURATION of hours,
 * minutes and seconds counted exactly from the start (RFC 5545 §3.3.6: on the night the clocks
 * change a 1-hour event lasts one hour, not up to the same wall time plus one); a duration in
 * days or weeks is nominal (the same time of day), as ical.js counts it.
 */
function endOf(item: ICAL.Event, start: number, endDate: ICAL.Time, timeZone: string): number {
  const d = item.component.hasProperty('dtend') ? undefined : (item.component.getFirstPropertyValue('duration') as ICAL.Duration | null);
  if (d && !d.weeks && !d.days) return start + d.toSeconds() * 1000;
  return instant(endDate, timeZone);
}

const ICS_TIME = /^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)Z?)?$/;

/**
 * The first DTSTART, DTEND, RECURRENCE-ID, RDATE or EXDATE time of a VEVENT that is no real date
 * and time (month 13, 31 February, hour 25), as it is written: ical.js would roll it over into another day.
 */
function unrealTime(vevent: ICAL.Component): { field: string; value: string } | undefined {
  for (const name of ['dtstart', 'dtend', 'recurrence-id', 'rdate', 'exdate']) {
    for (const prop of vevent.getAllProperties(name)) {
      const text = prop.toICALString();
      // A list of times (RDATE:20261201T180000Z,20261202T180000Z): each one.
      for (const value of text.slice(text.lastIndexOf(':') + 1).split(',')) {
        if (unrealValue(value)) return { field: name.toUpperCase(), value };
      }
    }
  }
  return undefined;
}

/** Whether an iCalendar date or date-time as written names no real time (month 13, 31 February, hour 25). */
function unrealValue(value: string): boolean {
  const m = ICS_TIME.exec(value);
  if (!m) return false; // another shape: ical.js judges it
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  return !isRealDate(y!, mo!, d!) || h > 23 || mi > 59 || sec > 60;
}

/** A VEVENT's start as an ISO instant; null without a DTSTART, or one that is no real time. */
function startOf(vevent: ICAL.Component, timeZone: string): string | null {
  const prop = vevent.getFirstProperty('dtstart');
  if (!prop) return null;
  const text = prop.toICALString();
  if (unrealValue(text.slice(text.lastIndexOf(':') + 1))) return null;
  try {
    const t = prop.getFirstValue() as ICAL.Time | null;
    const ms = t ? instant(t, timeZone) : NaN;
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  } catch {
    return null;
  }
}

/** A VEVENT's SUMMARY; null when it has none. */
function summaryOf(vevent: ICAL.Component): string | null {
  const s = vevent.getFirstPropertyValue('summary');
  return s === null || s === undefined || String(s).trim() === '' ? null : String(s).trim();
}

/**
 * Reads an iCalendar file: one calendar event per VEVENT occurrence (RRULE, RDATE and EXDATE
 * expanded, modified occurrences applied, times converted with the file's VTIMEZONEs). The
 * venue's position is GEO, or a known place named by LOCATION; the kind is X-VIGIE-KIND or a
 * CATEGORIES word; attendance is X-VIGIE-ATTENDANCE. An event that lacks one is rejected
 * with the reason; the others are kept.
 */
export function parseIcs(text: string, o: IcsOptions): IcsResult {
  const { root, unread, places } = readCalendar(text, o.timeZone);
  if (root.name !== 'vcalendar') throw new Error('not an iCalendar file: VCALENDAR expected');
  // ical.js keeps zones in one global registry: this file's zones are registered for the
  // time of the reading only, so one file's VTIMEZONE never changes how another is read.
  // (Zones ical.js knows by itself, such as UTC, are left as they are.)
  const own = root.getAllSubcomponents('vtimezone').filter((tz) => !ICAL.TimezoneService.has(String(tz.getFirstPropertyValue('tzid'))));
  const zones = own.map((tz) => String(tz.getFirstPropertyValue('tzid')));
  for (const tz of own) ICAL.TimezoneService.register(tz);
  try {
    const result = readEvents(root, o);
    // Each event at its place in the file as sent, beside those that could not be read at all.
    for (const r of result.rejected) r.index = places[r.index]!;
    result.rejected.push(...unread);
    result.rejected.sort((a, b) => a.index - b.index);
    return result;
  } finally {
    for (const tzid of zones) ICAL.TimezoneService.remove(tzid);
  }
}

/**
 * The file parsed whole; when ical.js cannot parse it (a value it refuses, RRULE:BYDAY=XX, stops
 * the whole file), parsed again without the VEVENTs it cannot parse on their own, each of them
 * refused by its place in the file. `places`: the place in the file of each VEVENT parsed.
 */
function readCalendar(text: string, timeZone: string): { root: ICAL.Component; unread: IcsRejection[]; places: number[] } {
  try {
    const root = new ICAL.Component(ICAL.parse(text));
    return { root, unread: [], places: root.getAllSubcomponents('vevent').map((_, i) => i) };
  } catch (whole) {
    const lines = text.split(/\r?\n/);
    const blocks: { from: number; to: number }[] = [];
    let from = -1;
    lines.forEach((line, i) => {
      const l = line.trim().toUpperCase();
      if (l === 'BEGIN:VEVENT') from = i;
      else if (l === 'END:VEVENT' && from >= 0) { blocks.push({ from, to: i }); from = -1; }
    });
    const unread: IcsRejection[] = [], places: number[] = [], drop = new Set<number>();
    blocks.forEach((b, index) => {
      const block = lines.slice(b.from, b.to + 1);
      try {
        ICAL.parse(['BEGIN:VCALENDAR', ...block, 'END:VCALENDAR'].join('\r\n'));
        places.push(index);
      } catch (e) {
        // The property at fault: the first that ical.js cannot parse alone (folded lines joined).
        const properties = block.slice(1, -1).join('\n').replace(/\n[ \t]/g, '').split('\n');
        const line = properties.find((x) => { try { ICAL.parse(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', x, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n')); return false; } catch { return true; } }) ?? '';
        const field = /^([A-Z-]+)[;:]/i.exec(line)?.[1]?.toUpperCase() ?? 'VEVENT';
        const uid = block.find((x) => /^UID[;:]/i.test(x))?.replace(/^UID[^:]*:/i, '').trim() || null;
        // Its SUMMARY and DTSTART, each read alone (a property ical.js cannot parse names nothing).
        const alone = (name: string) => {
          const at = properties.find((x) => new RegExp(`^${name}[;:]`, 'i').test(x));
          if (!at) return null;
          try {
            return new ICAL.Component(ICAL.parse(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', at, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'))).getFirstSubcomponent('vevent');
          } catch {
            return null;
          }
        };
        const summary = alone('SUMMARY'), start = alone('DTSTART');
        unread.push({
          index, uid, summary: summary ? summaryOf(summary) : null, startsAt: start ? startOf(start, timeZone) : null,
          error: { code: 'VIGIE_VALIDATION', message: `${field}: ${(e as Error).message}`, field, reason: { key: 'format' } },
        });
        for (let i = b.from; i <= b.to; i++) drop.add(i);
      }
    });
    if (!unread.length) throw whole;
    const root = new ICAL.Component(ICAL.parse(lines.filter((_, i) => !drop.has(i)).join('\r\n')));
    return { root, unread, places };
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
    const summary = summaryOf(vevent);
    const reject = (field: string, reason: ItemReason, message: string, more: { startsAt?: string; value?: string } = {}) =>
      result.rejected.push({
        index, uid: uid ? String(uid) : null, summary, startsAt: more.startsAt ?? startOf(vevent, o.timeZone),
        error: { code: 'VIGIE_VALIDATION', message: `${field}: ${message}`, field, reason, ...(more.value === undefined ? {} : { value: more.value }) },
      });
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

    const ownExceptions = exceptions.get(String(uid)) ?? [];
    const badTime = [vevent, ...ownExceptions].map(unrealTime).find((x) => x !== undefined);
    if (badTime) { reject(badTime.field, { key: 'datetime' }, `not a real date and time: ${badTime.value}`, { value: badTime.value }); continue; }
    const event = new ICAL.Event(vevent, { exceptions: ownExceptions });
    const occurrences: { start: number; end: number; item: ICAL.Event; recurrence: string | null }[] = [];
    try {
      if (event.isRecurring()) {
        const it = event.iterator();
        for (let next = it.next(); next && occurrences.length < max; next = it.next()) {
          const d = event.getOccurrenceDetails(next);
          const start = instant(d.startDate, o.timeZone);
          if (start >= o.until.getTime()) break;
          occurrences.push({ start, end: endOf(d.item, start, d.endDate, o.timeZone), item: d.item, recurrence: new Date(instant(d.recurrenceId, o.timeZone)).toISOString() });
        }
      } else {
        const start = instant(event.startDate, o.timeZone);
        occurrences.push({ start, end: endOf(event, start, event.endDate, o.timeZone), item: event, recurrence: null });
      }
    } catch (e) {
      // A recurrence ical.js cannot expand (BYDAY=XX): this event only, the file's others are read.
      reject(vevent.hasProperty('rrule') ? 'RRULE' : 'DTSTART', { key: 'format' }, String((e as Error).message ?? e));
      continue;
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
        reject(field || 'event', reason, message, { startsAt: candidate.startsAt });
        continue;
      }
      result.events.push({ uid: occ.recurrence ? `${String(uid)}/${occ.recurrence}` : String(uid), event: parsed.data });
    }
  }
  return result;
}
