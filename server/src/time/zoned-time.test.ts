import { describe, expect, it } from 'vitest';
import { zonedToUtc } from './zoned-time.ts';
import { localClock } from '@vigie/rules';

const at = (month: number, day: number, hour: number, minute = 0) => new Date(zonedToUtc({ year: 2026, month, day, hour, minute, second: 0 }, 'Europe/Paris')).toISOString();

describe('zonedToUtc', () => {
  it('reads the city clock in winter and in summer', () => {
    expect(at(1, 15, 12)).toBe('2026-01-15T11:00:00.000Z');
    expect(at(7, 15, 12)).toBe('2026-07-15T10:00:00.000Z');
  });

  it('is right on both sides of the daylight-saving changes', () => {
    expect(at(3, 29, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
    expect(at(3, 29, 3)).toBe('2026-03-29T01:00:00.000Z');
    expect(at(10, 25, 1, 59)).toBe('2026-10-24T23:59:00.000Z');
    expect(at(10, 25, 4)).toBe('2026-10-25T03:00:00.000Z');
  });
});

describe('zonedToUtc next to a change of the clocks', () => {
  const utc = (tz: string, month: number, day: number, hour: number, minute = 0, year = 2026) => new Date(zonedToUtc({ year, month, day, hour, minute, second: 0 }, tz)).toISOString();

  it('keeps a year before 100 (Date.UTC takes 50 for 1950)', () => {
    expect(new Date(zonedToUtc({ year: 50, month: 6, day: 1, hour: 12, minute: 0, second: 0 }, 'UTC')).toISOString()).toBe('0050-06-01T12:00:00.000Z');
    expect(new Date(zonedToUtc({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, 'UTC')).toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  it('takes the first of a time shown twice (the hour set back)', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 comes at 00:30Z, then at 01:30Z.
    expect(utc('Europe/Paris', 10, 25, 2, 30)).toBe('2026-10-25T00:30:00.000Z');
    expect(utc('Europe/Paris', 10, 25, 2)).toBe('2026-10-25T00:00:00.000Z');
  });

  it('takes a skipped time as the same time later (the hour set forward)', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 is never shown: 03:30 CEST.
    expect(utc('Europe/Paris', 3, 29, 2, 30)).toBe('2026-03-29T01:30:00.000Z');
    // Havana sets its clocks from 00:00 to 01:00: that day starts at 01:00 (05:00Z), not on the day before.
    expect(utc('America/Havana', 3, 8, 0)).toBe('2026-03-08T05:00:00.000Z');
    // Santiago likewise in September.
    expect(utc('America/Santiago', 9, 6, 0)).toBe('2026-09-06T04:00:00.000Z');
  });

  it('gives, every hour of three years in zones with changes at odd hours, the first instant the clocks show it', () => {
    const zones = ['Europe/Paris', 'America/Havana', 'America/Santiago', 'Asia/Beirut', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/St_Johns'];
    const wrong: string[] = [];
    for (const tz of zones) for (let d = 0; d < 3 * 365; d++) for (const hour of [0, 1, 2, 3, 23]) {
      const day = new Date(Date.UTC(2025, 0, 1 + d));
      const w = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute: 0, second: 0 };
      const wall = Date.UTC(w.year, w.month - 1, w.day, hour);
      const t = zonedToUtc(w, tz);
      const shown = (x: number) => { const c = localClock(x, tz); return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute); };
      const offset = (x: number) => shown(x) - x;
      const jump = offset(wall + 86_400_000) - offset(wall - 129_600_000);
      if (jump === 0) {
        // No change of the clocks near: the one instant that shows it.
        if (shown(t) !== wall) wrong.push(`${tz} ${JSON.stringify(w)} → ${new Date(t).toISOString()}`);
        continue;
      }
      // The first instant, in quarter hours within 15 h either side, at which the clocks show it;
      // none (skipped): the same time later by the size of the jump.
      let first: number | undefined;
      for (let x = wall - 15 * 3_600_000; x <= wall + 15 * 3_600_000 && first === undefined; x += 900_000) if (shown(x) === wall) first = x;
      const ok = first !== undefined ? t === first : shown(t) - wall === jump;
      if (!ok) wrong.push(`${tz} ${JSON.stringify(w)} → ${new Date(t).toISOString()}`);
    }
    expect(wrong).toEqual([]);
  });
});
