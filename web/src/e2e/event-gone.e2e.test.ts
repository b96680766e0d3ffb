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
    await page.context().close();
  });
});
