import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { createCalendarEvent } from './calendar-repo.ts';
import { circlePerimeter } from '@vigie/rules';
import { PhaseBoard, type PhaseChange } from './phase-board.ts';

describe('PhaseBoard: what the cron job switches', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await memoryDatabase(); }, 60_000);
  afterAll(async () => { await t?.drop(); });

  it('switches an event through its phases at their bounds, tells the listeners, and lets it go after', async () => {
    const venue = { lat: 43.2699, lon: 5.3959 };
    const e = await createCalendarEvent(t.db, {
      title: 'OM – Lens', kind: 'match', venue: 'Stade Vélodrome', location: venue, perimeter: circlePerimeter(venue, 500),
      startsAt: '2026-11-28T20:00:00.000Z', endsAt: '2026-11-28T22:00:00.000Z', expectedAttendance: 60000, arrivalMinutes: 120, departureMinutes: 60,
    }, new Date('2026-11-01T00:00:00Z'));
    const board = new PhaseBoard(t.db, createLogger('silent'));
    const heard: PhaseChange[][] = [];
    board.onChange((c) => heard.push(c));
    const at = async (iso: string) => (await board.refresh(new Date(iso))).map((c) => `${c.from}→${c.to}`);

    expect(await at('2026-11-28T17:59:00Z')).toEqual(['null→before']);
    expect(board.live()).toEqual([]);
    expect(board.upcoming().map((x) => x.id)).toEqual([e.id]);
    expect(await at('2026-11-28T17:59:59Z')).toEqual([]);
    expect(await at('2026-11-28T18:00:00Z')).toEqual(['before→arrival']);
    expect(board.live()).toEqual([{ event: e, phase: 'arrival' }]);
    expect(await at('2026-11-28T20:00:00Z')).toEqual(['arrival→during']);
    expect(await at('2026-11-28T22:00:00Z')).toEqual(['during→departure']);
    expect(await at('2026-11-28T23:00:00Z')).toEqual(['departure→after']);
    expect(board.live()).toEqual([]);
    // two days later it is out of the board's window: dropped, nothing kept
    expect(await at('2026-11-30T23:00:00Z')).toEqual([]);
    expect(board.phaseOf(e.id)).toBeUndefined();
    // five phase changes, then the event leaving the board (the engine's calendar empties)
    expect(heard.map((c) => c.length)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(board.engineCalendar()).toEqual([]);
  });
});
