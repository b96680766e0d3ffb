import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCalendarEvent, listCalendarEvents } from '../calendar/calendar-repo.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { seedDemoCalendar } from './demo-calendar.ts';

const all = (t: TestDatabase) => listCalendarEvents(t.db, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');

describe("the demo's calendar", () => {
  let t: TestDatabase;
  beforeEach(async () => { t = await memoryDatabase(); });
  afterEach(async () => { await t.drop(); });

  it("holds tonight's match at the Vélodrome, at 21:00 on the city's clock, winter or summer", async () => {
    await seedDemoCalendar(t.db, new Date('2026-11-29T10:00:00Z'), 'Europe/Paris');
    const [match, ...rest] = await all(t);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ kind: 'match', venue: 'Stade Vélodrome', startsAt: '2026-11-29T20:00:00.000Z', endsAt: '2026-11-29T22:00:00.000Z', expectedAttendance: 60000 });
    expect(match!.perimeter.type).toBe('Polygon');
    const summer = await memoryDatabase();
    await seedDemoCalendar(summer.db, new Date('2026-07-14T10:00:00Z'), 'Europe/Paris');
    expect((await all(summer))[0]!.startsAt).toBe('2026-07-14T19:00:00.000Z');
    await summer.drop();
  });

  it('after midnight on the city clock, the coming night', async () => {
    await seedDemoCalendar(t.db, new Date('2026-11-29T23:30:00Z'), 'Europe/Paris'); // 00:30 on the 30th in Marseille
    expect((await all(t))[0]!.startsAt).toBe('2026-11-30T20:00:00.000Z');
  });

  it("adds nothing beside an event of the coming day (a supervisor's own, or the one seeded at an earlier start)", async () => {
    const now = new Date('2026-11-29T10:00:00Z');
    await seedDemoCalendar(t.db, now, 'Europe/Paris');
    await seedDemoCalendar(t.db, now, 'Europe/Paris');
    expect(await all(t)).toHaveLength(1);
    const other = await memoryDatabase();
    const [seeded] = await all(t);
    await createCalendarEvent(other.db, { ...seeded!, title: 'Concert', kind: 'concert', startsAt: '2026-11-30T08:00:00Z', endsAt: '2026-11-30T09:00:00Z' }, now);
    await seedDemoCalendar(other.db, now, 'Europe/Paris');
    expect((await all(other)).map((e) => e.title)).toEqual(['Concert']);
    await other.drop();
  });
});
