import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser.ts';
import { consoleSuite, signedIn } from './operator.ts';

const DAY = 86_400_000;
/** iCalendar's UTC form of a time: 20270101T100000Z. */
const icsTime = (t: number) => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Two daily events for 300 days from tomorrow: 600 occurrences, more than one page (500) of the calendar's list. */
function dailyIcs(): string {
  const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
  const vevent = (uid: string, hour: number, title: string) => [
    'BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${icsTime(Date.now())}`,
    `DTSTART:${icsTime(tomorrow + hour * 3_600_000)}`, `DTEND:${icsTime(tomorrow + (hour + 2) * 3_600_000)}`,
    'RRULE:FREQ=DAILY;COUNT=300', `SUMMARY:${title}`, 'GEO:43.2699;5.3959', 'X-VIGIE-KIND:fair', 'X-VIGIE-ATTENDANCE:500', 'END:VEVENT',
  ];
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Vigie e2e//FR', ...vevent('matin@e2e', 8, 'Marché du matin'), ...vevent('soir@e2e', 16, 'Marché du soir'), 'END:VCALENDAR', ''].join('\r\n');
}

describe.skipIf(!chromiumAvailable())('the calendar page loses no event', () => {
  const suite = consoleSuite();

  it('shows every event of a calendar longer than one page of the API, in order', { timeout: 180_000 }, async () => {
    const { node, browser } = suite;
    const login = await fetch(`${node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const imported = await fetch(`${node.url}/api/v1/calendar/import`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'text/calendar' }, body: dailyIcs() });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { imported: number }).imported).toBe(600);
    // Every event of the server's default window, page by page.
    const ids: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages === 0 || (cursor && pages < 20); pages++) {
      const page = (await (await fetch(`${node.url}/api/v1/calendar${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { cookie } })).json()) as { events: { id: string }[]; nextCursor: string | null };
      ids.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    }
    expect(ids.length).toBeGreaterThanOrEqual(600); // and the demo's match, when it seeded one

    const page = await signedIn(browser, node.url, 'operator');
    await page.goto(`${node.url}/events`);
    const rows = page.locator('[data-testid="calendar-list"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(ids.length);
    const links = await rows.locator('a[href^="/events/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.slice('/events/'.length)));
    expect(links).toEqual(ids);
    expect(await page.getByTestId('calendar-truncated').count()).toBe(0);
    await page.context().close();
  });

  it('says so, in French, when the server has more events than the console asks for', { timeout: 60_000 }, async () => {
    const { node, browser } = suite;
    const page = await signedIn(browser, node.url, 'operator');
    let n = 0;
    // A server whose calendar never ends: every page says there is another.
    await page.route((url) => url.pathname === '/api/v1/calendar', (route) => {
      const id = `endless-${n++}`;
      const at = new Date(Date.now() + n * DAY).toISOString();
      void route.fulfill({ json: { events: [{ id, title: id, kind: 'fair', venue: 'Quelque part', startsAt: at, endsAt: at, expectedAttendance: 1, phase: 'before' }], nextCursor: `after-${id}` } });
    });
    await page.goto(`${node.url}/events`);
    const note = page.getByTestId('calendar-truncated');
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toMatch(/^Liste tronquée\u00a0: seuls les 10 premiers événements sont affichés/);
    expect(await page.locator('[data-testid="calendar-list"] tbody tr').count()).toBe(10);
    expect(n).toBe(10);
    await page.context().close();
  });
});
