import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { perimeterRadius, type ZoneGeometry } from '@vigie/rules';
import { cityInputValue } from '../lib/format/time.ts';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, signedIn } from './operator.ts';

const HOUR = 3_600_000;
const NB = '\u00a0';
const PARIS = 'Europe/Paris';
const velodrome = { lat: 43.2699, lon: 5.3959 };
const perimeter = { type: 'Polygon', coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] };

type Stored = { id: string; title: string; startsAt: string; endsAt: string; expectedAttendance: number; location: { lat: number; lon: number }; updatedAt: string; kind: string };

/** The calendar API as a second supervisor (outside the browser). */
async function supervisorApi(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }) });
  const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  return {
    list: async () => ((await (await fetch(`${url}/api/v1/calendar`, { headers })).json()) as { events: Stored[] }).events,
    get: async (id: string) => (await (await fetch(`${url}/api/v1/calendar/${id}`, { headers })).json()) as Stored & Record<string, unknown>,
    post: async (body: unknown) => (await (await fetch(`${url}/api/v1/calendar`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Stored,
    put: (id: string, body: unknown) => fetch(`${url}/api/v1/calendar/${id}`, { method: 'PUT', headers, body: JSON.stringify(body) }),
  };
}

const field = (page: Page, name: string) => page.getByTestId(`event-${name}`);

describe.skipIf(!chromiumAvailable())('supervisors create, edit and delete a major event from the console; operators only read', () => {
  const suite = consoleSuite();

  it('a supervisor enters tonight\'s demonstration, sees the server\'s word per field, edits it through a conflict and deletes it', { timeout: 120_000 }, async () => {
    const { node, browser } = suite;
    const api = await supervisorApi(node.url);
    const page = await signedIn(browser, node.url, 'supervisor', { width: 1366, height: 768 }, { timezoneId: 'America/New_York', locale: 'fr-FR' });
    await page.goto(`${node.url}/events`);
    await page.getByTestId('calendar-new').click();
    await page.getByTestId('event-form').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="event-location-map"][data-ready="true"]').waitFor({ timeout: 15_000 });
    // The places' and zones' names on the picker never lie over one another (the old town's are many).
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-location-map"] .label-covered').length > 0, undefined, { timeout: 10_000 });
    const overlapping = await page.$$eval('[data-testid="event-location-map"] .leaflet-tooltip', (labels) => {
      const boxes = labels.filter((l) => getComputedStyle(l).visibility !== 'hidden').map((l) => l.getBoundingClientRect()).filter((r) => r.width > 0);
      let n = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!, b = boxes[j]!;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
      }
      return { shown: boxes.length, overlaps: n };
    });
    expect(overlapping.shown).toBeGreaterThan(5);
    expect(overlapping.overlaps).toBe(0);

    // Tonight, on the city's clock (the browser's own clock is New York's).
    const start = Math.ceil((Date.now() + 3 * HOUR) / HOUR) * HOUR;
    await field(page, 'title').fill('Manifestation Canebière');
    await field(page, 'kind').selectOption('demonstration');
    await field(page, 'venue').fill('Haut de la Canebière');
    await field(page, 'starts').fill(cityInputValue(start, PARIS));
    await field(page, 'ends').fill(cityInputValue(start + 3 * HOUR, PARIS));
    await field(page, 'attendance').fill('beaucoup');
    await field(page, 'radius').fill('-5');
    // The location: a click on the map fills the coordinates.
    const box = (await page.getByTestId('event-location-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => field(page, 'lat').inputValue()).not.toBe('');
    const lat = Number(await field(page, 'lat').inputValue()), lon = Number(await field(page, 'lon').inputValue());
    expect(Math.abs(lat - 43.29)).toBeLessThan(0.1);

    // Checked in the browser before sending: each field says what it takes, at the field (invalid,
    // described by its message), the first one has the focus, nothing is sent and nothing typed is lost.
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/v1/calendar')) sent.push(`${r.method()} ${r.url()}`); });
    await field(page, 'save').click();
    const attendanceError = page.getByTestId('field-error-expectedAttendance');
    await attendanceError.waitFor({ timeout: 10_000 });
    expect(await attendanceError.textContent()).toBe('un nombre entier de personnes, de 0 à 10\u202f000\u202f000');
    expect(await page.getByTestId('field-error-radius').textContent()).toBe(`un rayon en mètres, plus grand que 0 et d’au plus 20\u202f000 (vide${NB}: celui du type)`);
    for (const [name, key] of [['attendance', 'expectedAttendance'], ['radius', 'radius']] as const) {
      expect(await field(page, name).getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await field(page, name).getAttribute('aria-describedby'))!;
      expect(await page.locator(`#${describedBy}`).getAttribute('data-testid')).toBe(`field-error-${key}`);
    }
    expect(await field(page, 'title').getAttribute('aria-invalid')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('event-attendance');
    expect(await page.getByTestId('event-form-error').textContent()).toBe(`Rien n’a été envoyé${NB}: corrigez les champs signalés en rouge (rien de ce que vous avez saisi n’est perdu).`);
    expect(await field(page, 'attendance').inputValue()).toBe('beaucoup');
    expect(await field(page, 'radius').inputValue()).toBe('-5');
    expect(await field(page, 'title').inputValue()).toBe('Manifestation Canebière');
    expect(await field(page, 'lat').inputValue()).toBe(String(lat));
    expect(sent).toEqual([]);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}event-form-1366.png` });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}event-form-1920.png` });
    await page.setViewportSize({ width: 1366, height: 768 });

    await field(page, 'attendance').fill('3 000');
    expect(await attendanceError.count()).toBe(0);
    expect(await field(page, 'attendance').getAttribute('aria-invalid')).toBeNull();
    await field(page, 'radius').fill('500');
    // Nothing left to correct: the words saying nothing was sent go.
    expect(await page.getByTestId('event-form-error').count()).toBe(0);
    await field(page, 'save').click();
    await page.waitForURL(/\/events\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const id = page.url().split('/').pop()!;
    await page.getByTestId('event-crowd').waitFor({ timeout: 15_000 });
    const stored = await api.get(id);
    expect(stored).toMatchObject({ title: 'Manifestation Canebière', kind: 'demonstration', expectedAttendance: 3000, location: { lat, lon }, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * HOUR).toISOString() });
    expect(perimeterRadius(stored.location, stored.perimeter as ZoneGeometry)).toBeGreaterThanOrEqual(499);
    expect(perimeterRadius(stored.location, stored.perimeter as ZoneGeometry)).toBeLessThanOrEqual(501);
    // The event's page says it was created, politely (a status), after the navigation.
    const done = page.getByTestId('calendar-done');
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toBe(`Événement «${NB}Manifestation Canebière${NB}» créé.`);
    expect(await done.getAttribute('role')).toBe('status');
    expect(await done.isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}event-created-1366.png` });
    await page.goto(`${node.url}/events`);
    await page.getByTestId('calendar-list').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('calendar-list').textContent()).toContain('Manifestation Canebière');

    // Edit: the form shows the stored times on the city clock.
    await page.goto(`${node.url}/events/${id}`);
    await page.getByTestId('event-edit').click();
    await page.getByTestId('event-form').waitFor({ timeout: 15_000 });
    expect(await field(page, 'starts').inputValue()).toBe(cityInputValue(start, PARIS));
    await field(page, 'attendance').fill('5000');
    // Leaving with the change unsaved asks first (dismissed: the page stays).
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.dismiss(); }));
    await page.locator('nav a').first().click();
    expect(await asked).toContain('n’est pas enregistré');
    expect(page.url()).toMatch(/\/edit$/);
    // Meanwhile another supervisor changes the event: saving says so instead of overwriting.
    expect((await api.put(id, { ...stored, title: 'Manifestation Canebière (déclarée)' })).status).toBe(200);
    await field(page, 'save').click();
    await page.getByTestId('event-conflict').waitFor({ timeout: 10_000 });
    expect(await field(page, 'attendance').inputValue()).toBe('5000');
    await page.getByTestId('conflict-overwrite').click();
    await page.waitForURL(new RegExp(`/events/${id}$`), { timeout: 10_000 });
    expect(await api.get(id)).toMatchObject({ expectedAttendance: 5000, title: 'Manifestation Canebière' });
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toBe(`Événement «${NB}Manifestation Canebière${NB}» enregistré.`);

    // Deleting says what it affects, in words of its own while the rules are read, and that it
    // could not tell when they cannot be read (not that none follows the event).
    await page.route('**/api/v1/rules', async (route) => { await new Promise((r) => setTimeout(r, 800)); await route.fulfill({ status: 503, body: '{}' }); });
    await page.getByTestId('event-delete').click();
    expect(await page.getByTestId('delete-event-rules-loading').textContent()).toBe('Recherche des règles qui suivent cet événement…');
    await page.getByTestId('delete-event-rules-unknown').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('delete-event-no-rules').count()).toBe(0);
    await page.getByTestId('delete-event-cancel').click();
    await page.unroute('**/api/v1/rules');
    // Here no rule follows demonstrations.
    await page.getByTestId('event-delete').click();
    await page.getByTestId('delete-event-no-rules').waitFor({ timeout: 10_000 });
    await page.getByTestId('delete-event-confirm').click();
    await page.waitForURL(/\/events$/, { timeout: 10_000 });
    expect((await api.list()).map((e) => e.id)).not.toContain(id);
    // The calendar says it was deleted, in the console's language.
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toBe(`Événement «${NB}Manifestation Canebière${NB}» supprimé.`);
    expect(await done.getAttribute('role')).toBe('status');
    await page.screenshot({ path: `${SCREENSHOTS}event-deleted-1366.png` });
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => done.textContent()).toBe('Event “Manifestation Canebière” deleted.');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => done.textContent()).toBe(`Événement «${NB}Manifestation Canebière${NB}» supprimé.`);

    // A match: the stock rule that watches the end of matches is named before deleting.
    const match = await api.post({ title: 'OM – Lens', kind: 'match', venue: 'Stade Vélodrome', location: velodrome, perimeter, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * HOUR).toISOString(), expectedAttendance: 60000 });
    await page.goto(`${node.url}/events/${match.id}`);
    await page.getByTestId('event-delete').click();
    await page.getByTestId('delete-event-rules').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('delete-event-rules').textContent()).toContain('match-end-surge');
    await page.screenshot({ path: `${SCREENSHOTS}event-delete-1366.png` });
    // From the keyboard: Tab stays in the dialog, Échap closes it and Supprimer has the focus again.
    const focusedIn = () => page.evaluate(() => [document.activeElement?.closest('dialog[open]')?.getAttribute('data-testid') ?? null, document.activeElement?.getAttribute('data-testid') ?? null]);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press(i < 3 ? 'Tab' : 'Shift+Tab');
      expect((await focusedIn())[0]).toBe('delete-event-dialog');
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('delete-event-dialog').waitFor({ state: 'hidden' });
    expect(await focusedIn()).toEqual([null, 'event-delete']);
    expect((await api.list()).map((e) => e.id)).toContain(match.id);
    await page.context().close();

    // An operator reads the calendar and the event, with no button to change them.
    const operator = await signedIn(browser, node.url, 'operator');
    await operator.goto(`${node.url}/events`);
    await operator.getByTestId('calendar-list').waitFor({ timeout: 15_000 });
    expect(await operator.getByTestId('calendar-new').count()).toBe(0);
    await operator.goto(`${node.url}/events/${match.id}`);
    await operator.getByTestId('event-crowd').waitFor({ timeout: 15_000 });
    expect(await operator.getByTestId('event-edit').count()).toBe(0);
    expect(await operator.getByTestId('event-delete').count()).toBe(0);
    await operator.goto(`${node.url}/events/new`);
    await operator.getByTestId('calendar-forbidden').waitFor({ timeout: 15_000 });
    expect(await operator.getByTestId('event-form').count()).toBe(0);
    await operator.context().close();
  });

  it('a supervisor on an English browser reads the times typed as the console writes them, in its language and on the 24-hour clock', { timeout: 60_000 }, async () => {
    const { node, browser } = suite;
    const page = await signedIn(browser, node.url, 'supervisor', { width: 1366, height: 768 }, { timezoneId: 'America/New_York', locale: 'en-US' });
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.goto(`${node.url}/events/new`);
    await page.getByTestId('event-form').waitFor({ timeout: 15_000 });
    // A new event's times are read out at once, French as the console is.
    expect(await page.getByTestId('event-starts-readout').textContent()).toMatch(/^[a-z]{3,4}\. \d{1,2} [a-zéû]{3,5}\.? \d{4}, \d{2}:00$/);
    await field(page, 'starts').fill('2026-11-28T21:14');
    await field(page, 'ends').fill('2026-11-28T23:30');
    await page.getByTestId('event-title').fill('Concert au Dôme');
    expect(await page.getByTestId('event-starts-readout').textContent()).toBe('sam. 28 nov. 2026, 21:14');
    expect(await page.getByTestId('event-ends-readout').textContent()).toBe('sam. 28 nov. 2026, 23:30');
    // Read with the field: its description names the readout (and the note under it, if any).
    expect(await field(page, 'starts').getAttribute('aria-describedby')).toBe('event-readout-startsAt');
    await page.screenshot({ path: `${SCREENSHOTS}event-form-readout-fr.png` });
    // A time the clocks skip reads as the one it is taken for, said beside it too.
    await field(page, 'ends').fill('2027-03-28T02:30');
    expect(await page.getByTestId('event-ends-readout').textContent()).toBe('dim. 28 mars 2027, 03:30');
    expect(await field(page, 'ends').getAttribute('aria-describedby')).toBe('event-readout-endsAt event-note-endsAt');
    // In English, the console's English.
    await field(page, 'ends').fill('2026-11-28T23:30');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('event-starts-readout').textContent()).toBe('Sat, 28 Nov 2026, 21:14');
    expect(await page.getByTestId('event-ends-readout').textContent()).toBe('Sat, 28 Nov 2026, 23:30');
    // Nothing to read out for a field emptied.
    await field(page, 'starts').fill('');
    expect(await page.getByTestId('event-starts-readout').count()).toBe(0);
    expect(await field(page, 'starts').getAttribute('aria-describedby')).not.toContain('readout');
    await page.context().close();
  });
});
