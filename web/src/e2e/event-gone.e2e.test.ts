import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, signedIn } from './operator.ts';

const HOUR = 3_600_000;
const NB = '\u00a0';

/** Another supervisor, working on the calendar through the API (outside the browser). */
async function otherSupervisor(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }) });
  const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  const start = Math.ceil((Date.now() + 24 * HOUR) / HOUR) * HOUR;
  return {
    create: async (title: string) =>
      ((await (await fetch(`${url}/api/v1/calendar`, { method: 'POST', headers, body: JSON.stringify({ title, kind: 'concert', venue: 'Dôme', location: { lat: 43.3061, lon: 5.3939 }, perimeter: { type: 'Polygon', coordinates: [[[5.391, 43.304], [5.397, 43.304], [5.397, 43.308], [5.391, 43.308], [5.391, 43.304]]] }, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * HOUR).toISOString(), expectedAttendance: 8000 }) })).json()) as { id: string }).id,
    remove: async (id: string) => (await fetch(`${url}/api/v1/calendar/${id}`, { method: 'DELETE', headers })).status,
  };
}

describe.skipIf(!chromiumAvailable())('an event deleted by another supervisor, seen from its page', () => {
  const suite = consoleSuite();

  it('says plainly that it was deleted, hides Modifier and Supprimer, and leads back to the calendar; refusals are in French', { timeout: 120_000 }, async () => {
    const { node, browser } = suite;
    const other = await otherSupervisor(node.url);
    const page = await signedIn(browser, node.url, 'supervisor', { width: 1366, height: 768 }, { locale: 'fr-FR' });

    // The page refreshes its view every 30 s: the browser's clock is ours to move.
    await page.clock.install();
    const first = await other.create('Concert au Dôme');
    await page.goto(`${node.url}/events/${first}`);
    await page.getByTestId('event-crowd').waitFor({ timeout: 15_000 });
    await page.getByTestId('event-delete').waitFor(); // shown once the account's rights are known, which may come after the event

    // Deleted elsewhere: at the next refresh the page says so instead of showing the stale view.
    expect(await other.remove(first)).toBe(204);
    await page.clock.runFor(31_000);
    const gone = page.getByTestId('event-gone');
    await gone.waitFor({ timeout: 10_000 });
    expect(await gone.textContent()).toContain('Cet événement n’existe plus');
    expect(await page.getByTestId('event-crowd').count()).toBe(0);
    expect(await page.getByTestId('event-edit').count()).toBe(0);
    expect(await page.getByTestId('event-delete').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('VIGIE_NOT_FOUND');
    await page.screenshot({ path: `${SCREENSHOTS}event-gone-1366.png` });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SCREENSHOTS}event-gone-1920.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('event-gone-back').click();
    await page.waitForURL(/\/events$/, { timeout: 10_000 });

    // Deleting an event someone else has just deleted: the same plain page, not a raw refusal.
    const second = await other.create('Concert au Silo');
    await page.goto(`${node.url}/events/${second}`);
    await page.getByTestId('event-crowd').waitFor({ timeout: 15_000 });
    expect(await other.remove(second)).toBe(204);
    await page.getByTestId('event-delete').click();
    await page.getByTestId('delete-event-confirm').click();
    await gone.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('delete-event-confirm').count()).toBe(0);
    expect(await page.getByTestId('event-delete').count()).toBe(0);

    // Its edit page says the same.
    await page.goto(`${node.url}/events/${second}/edit`);
    await gone.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('event-form').count()).toBe(0);

    // An .ics file the server cannot read is refused in French, without the server's English.
    await page.goto(`${node.url}/events`);
    await page.getByTestId('calendar-new').waitFor({ timeout: 15_000 });
    await page.getByTestId('calendar-import').setInputFiles({ name: 'vide.ics', mimeType: 'text/calendar', buffer: Buffer.from('BEGIN:VCALENDAR\nEND:VCALENDAR\n') });
    const refused = page.locator('p.error[role="alert"]');
    await refused.waitFor({ timeout: 10_000 });
    const said = (await refused.textContent())!;
    expect(said).toMatch(new RegExp(`^Le fichier iCalendar \\(\\.ics\\) n’a pas pu être lu`));
    expect(said).not.toMatch(/VIGIE_|could not|no event/);
    expect(said.includes(` ${NB}`) || / [:?!;»]/.test(said)).toBe(false);

    // A file of which some events are refused: each one on its line, named by its title and date,
    // a date that does not exist said as an .ics date (not the CSV's), the kinds by their labels.
    const year = new Date().getUTCFullYear() + 1;
    const vevent = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', 'GEO:43.2699;5.3959', ...lines, 'END:VEVENT'];
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Vigie e2e//FR',
      ...vevent('bon@e2e', ['SUMMARY:Concert du Dôme', 'CATEGORIES:concert', `DTSTART:${year}1130T200000Z`, `DTEND:${year}1130T220000Z`]),
      ...vevent('fevrier@e2e', ['SUMMARY:Concert de février', 'CATEGORIES:concert', `DTSTART;TZID=Europe/Paris:${year}0230T200000`, `DTEND;TZID=Europe/Paris:${year}0230T220000`]),
      ...vevent('sans-type@e2e', ['SUMMARY:Réunion publique', `DTSTART;TZID=Europe/Paris:${year}1205T180000`, `DTEND;TZID=Europe/Paris:${year}1205T200000`]),
      'END:VCALENDAR', ''].join('\r\n');
    await page.getByTestId('calendar-import').setInputFiles({ name: 'agenda.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    const list = page.getByTestId('calendar-rejected');
    await list.waitFor({ timeout: 10_000 });
    expect(await list.locator('p').textContent()).toBe(`Événements non importés${NB}:`);
    expect(await list.locator('li').allTextContents()).toEqual([
      `Concert de février — DTSTART${NB}: ${year}0230T200000 n’est pas une date réelle (une date .ics s’écrit 20261130T200000, 20261130T190000Z en UTC, ou 20261130 pour un jour entier)`,
      `Réunion publique (05/12/${year} 18:00) — CATEGORIES${NB}: le type de l’événement, parmi${NB}: Match, Concert, Manifestation, Foire / marché`,
    ]);
    expect(await page.locator('p.ok[role="status"]').textContent()).toBe('1 importé, 0 mis à jour, 2 refusés');
    await page.screenshot({ path: `${SCREENSHOTS}events-ics-rejected-1366.png` });
    await page.context().close();
  });
});
