import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { circlePerimeter, type CalendarEventInput } from '@vigie/rules';
import type { TestDatabase } from '../testing/databases.ts';
import { createCalendarEvent, decodeCalendarCursor, pageCalendarEvents } from './calendar-repo.ts';

const HOUR = 3_600_000;
const venue = { lat: 43.2699, lon: 5.3959 };
const event = (startsAt: string, title: string): CalendarEventInput => ({
  title, kind: 'match', venue: 'Stade Vélodrome', location: venue, perimeter: circlePerimeter(venue, 300),
  startsAt, endsAt: new Date(Date.parse(startsAt) + 2 * HOUR).toISOString(), expectedAttendance: 1000, arrivalMinutes: 60, departureMinutes: 60,
});
const WINDOW = { from: '2031-01-01T00:00:00Z', to: '2032-01-01T00:00:00Z' };

/** The calendar's pages, on each SqlClient (PGlite and PostgreSQL give the cursor's time as their own text). */
export function calendarPagingSuite(name: string, open: () => Promise<TestDatabase>) {
  describe(`calendar pages on ${name}`, () => {
    let t: TestDatabase;
    beforeEach(async () => { t = await open(); });
    afterEach(async () => { await t.drop(); });

    it('gives every event once, by start time then id, across pages (events sharing a start, a start in microseconds)', async () => {
      const now = new Date('2030-06-01T00:00:00Z');
      const starts = ['2031-03-01T18:00:00.000Z', '2031-02-01T18:00:00.000Z', '2031-03-01T18:00:00.000Z', '2031-03-01T18:00:00.000Z', '2031-01-15T18:00:00.000Z', '2031-04-01T18:00:00.000Z', '2031-02-01T18:00:00.000Z'];
      for (const [i, s] of starts.entries()) await createCalendarEvent(t.db, event(s, `E${i}`), now);
      // Two more a microsecond apart (JavaScript's milliseconds would put the cursor before the second).
      const micro = [await createCalendarEvent(t.db, event('2031-05-01T18:00:00.000Z', 'µ1'), now), await createCalendarEvent(t.db, event('2031-05-01T18:00:00.000Z', 'µ2'), now)];
      await t.db.query("UPDATE calendar_events SET starts_at = '2031-05-01T18:00:00.000001Z' WHERE id = $1", [micro[0]!.id]);
      await t.db.query("UPDATE calendar_events SET starts_at = '2031-05-01T18:00:00.000002Z' WHERE id = $1", [micro[1]!.id]);
      await createCalendarEvent(t.db, event('2030-01-01T18:00:00.000Z', 'outside'), now);

      const whole = await pageCalendarEvents(t.db, { ...WINDOW, limit: 100 });
      expect(whole.nextCursor).toBeNull();
      expect(whole.events).toHaveLength(9);
      // (µ1 and µ2 show the same millisecond: the database's microseconds order them.)
      const micros = (e: { title: string }) => (e.title === 'µ1' ? 1 : e.title === 'µ2' ? 2 : 0);
      const order = [...whole.events].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || micros(a) - micros(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      expect(whole.events.map((e) => e.id)).toEqual(order.map((e) => e.id));
      expect(whole.events.slice(-2).map((e) => e.title)).toEqual(['µ1', 'µ2']);

      for (const limit of [1, 2, 4, 8, 9]) {
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await pageCalendarEvents(t.db, { ...WINDOW, limit, cursor });
          seen.push(...page.events.map((e) => e.id));
          sizes.push(page.events.length);
          cursor = page.nextCursor ?? undefined;
        } while (cursor && sizes.length <= 9); // a cursor that does not move on fails here, not by the test's timeout
        expect(seen, `limit ${limit}`).toEqual(whole.events.map((e) => e.id));
        expect(sizes.slice(0, -1).every((n) => n === limit), `limit ${limit}: ${sizes.join(',')}`).toBe(true);
      }
    });

    it('continues the window of its first page, whatever the next request says', async () => {
      const now = new Date('2030-06-01T00:00:00Z');
      for (const s of ['2031-01-10T18:00:00.000Z', '2031-01-11T18:00:00.000Z', '2031-01-12T18:00:00.000Z']) await createCalendarEvent(t.db, event(s, s), now);
      const first = await pageCalendarEvents(t.db, { ...WINDOW, limit: 1 });
      const rest = await pageCalendarEvents(t.db, { from: '2031-01-12T00:00:00Z', to: '2031-01-13T00:00:00Z', limit: 10, cursor: first.nextCursor! });
      expect([...first.events, ...rest.events].map((e) => e.title)).toEqual(['2031-01-10T18:00:00.000Z', '2031-01-11T18:00:00.000Z', '2031-01-12T18:00:00.000Z']);
    });

    it('knows its own cursors only', () => {
      for (const bad of ['', 'abc', Buffer.from('{"s":"x","i":"1","f":"2031-01-01T00:00:00Z","t":"2032-01-01T00:00:00Z"}').toString('base64url'), Buffer.from('null').toString('base64url'), Buffer.from('{"s":"2031-01-01 00:00:00+00","i":1}').toString('base64url')]) {
        expect(decodeCalendarCursor(bad), bad).toBeUndefined();
      }
    });
  });
}
