import { afterEach, describe, expect, it, vi } from 'vitest';
import { missedRuns, scheduleJob } from './jobs.ts';
import type { Logger } from './logger.ts';

/** A logger that keeps what it is given. */
function keeping() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => { lines.push({ level, msg, fields }); };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

/** Keeps the event loop busy for `ms`, as a burst of events would. */
function busy(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
}

afterEach(() => vi.restoreAllMocks());

describe('scheduleJob', () => {
  it('counts the runs missed while the event loop was busy in one log line of its own, and node-cron writes nothing to the console', async () => {
    const consoleLines: unknown[][] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { consoleLines.push(args); });
    const { log, lines } = keeping();
    const missed = missedRuns(log);
    const task = scheduleJob('* * * * * *', 'every-second', async () => {}, log, missed);
    try {
      await new Promise((r) => setTimeout(r, 1100));
      busy(2500);
      await new Promise((r) => setTimeout(r, 1200));
      busy(2500);
      await new Promise((r) => setTimeout(r, 1200));
    } finally {
      await task.destroy();
    }
    missed.flush();
    expect(consoleLines).toEqual([]);
    const told = lines.filter((l) => l.level !== 'debug');
    // Two busy spells, one line at once and one with the rest (at the end of the minute, here the flush).
    expect(told.map((l) => l.msg)).toEqual([expect.stringMatching(/^jobs: runs missed/), expect.stringMatching(/^jobs: runs missed/)]);
    expect(told[0]!.fields!['every-second missed']).toBeGreaterThanOrEqual(1);
    expect(told[1]!.fields).toMatchObject({ times: expect.any(Number), periodMs: 60_000 });
    expect(told[1]!.fields!['every-second missed']).toBeGreaterThanOrEqual(1);
  }, 15_000);

  it("logs a run's failure as a warning naming the job", async () => {
    const { log, lines } = keeping();
    const task = scheduleJob('* * * * * *', 'failing', async () => { throw new Error('boom'); }, log, missedRuns(log));
    try {
      await vi.waitFor(() => expect(lines.some((l) => l.msg === 'job failing failed')).toBe(true), { timeout: 2500 });
    } finally {
      await task.destroy();
    }
    expect(lines.find((l) => l.msg === 'job failing failed')!.fields).toEqual({ error: 'Error: boom' });
  });
});
