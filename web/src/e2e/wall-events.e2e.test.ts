import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { spawnNode, type NodeProcess } from '../../../server/src/testing/process.ts';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './browser.ts';
import { signedIn } from './operator.ts';

const HOUR = 3_600_000;
const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };
const venue = { lat: 43.2699, lon: 5.3959 };
const perimeter = { type: 'Polygon', coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] };

describe.skipIf(!chromiumAvailable())('major events pages in Chromium: calendar, event view, printable briefing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-events-e2e-'));
  let node: NodeProcess;
  let browser: Browser;
  let page: Page;
  let nextId = '';

  beforeAll(async () => {
    [node, browser] = await Promise.all([spawnNode({ VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_DATA_DIR: dataDir, VIGIE_TILE_URL: '' }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // A past match with incidents around the stadium, and the next one in three hours.
    const login = await fetch(`${node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }) });
    const sup = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const match = (start: number, title: string) => ({ title, kind: 'match', venue: 'Stade Vélodrome', location: venue, perimeter, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * HOUR).toISOString(), expectedAttendance: 60000 });
    const pastStart = Date.now() - 7 * 24 * HOUR;
    await fetch(`${node.url}/api/v1/calendar`, { method: 'POST', headers: sup, body: JSON.stringify(match(pastStart, 'OM – Monaco')) });
    const events = Array.from({ length: 12 }, (_, i) => ({ id: `past-${i}`, source: 'csu', type: i % 2 ? 'incident.fight' : 'incident.theft', time: new Date(pastStart - HOUR + i * 15 * 60_000).toISOString(), location: { lat: venue.lat + (i % 3) * 0.004 - 0.001, lon: venue.lon + 0.001 } }));
    expect((await fetch(`${node.url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify(events) })).status).toBe(202);
    const next = await fetch(`${node.url}/api/v1/calendar`, { method: 'POST', headers: sup, body: JSON.stringify(match(Date.now() + 3 * HOUR, 'OM – Rennes')) });
    nextId = ((await next.json()) as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the events once signed in, opens an event view and its printable briefing', { timeout: 60_000 }, async () => {
    await page.goto(`${node.url}/login`);
    await page.getByTestId('login-username').fill('supervisor');
    await page.getByTestId('login-password').fill('supervisor');
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-testid="connection-status"]', { timeout: 15_000 });
    await page.goto(`${node.url}/events`);
    const list = page.getByTestId('calendar-list');
    await list.waitFor({ timeout: 15_000 });
    expect(await list.textContent()).toContain('OM – Rennes');
    // A supervisor may import a calendar (the console's own button, in the console's language); the page speaks English on demand.
    await page.getByRole('button', { name: 'Choisir un fichier .ics…' }).waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('button', { name: 'Choose an .ics file…' }).waitFor();
    await page.getByTestId('lang-toggle').click();
    // An operator sees the calendar, not the import the API would refuse.
    const operator = await signedIn(browser, node.url, 'operator');
    await operator.goto(`${node.url}/events`);
    await operator.getByTestId('calendar-list').waitFor({ timeout: 15_000 });
    expect(await operator.getByTestId('calendar-import').count()).toBe(0);
    await operator.context().close();

    await page.goto(`${node.url}/events/${nextId}`);
    await page.getByTestId('event-crowd').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('event-phase').textContent()).toBe('À venir');
    expect(await page.getByTestId('event-crowd').textContent()).toContain('60');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCREENSHOTS}event-view-1920.png` });

    await page.goto(`${node.url}/events/${nextId}/briefing`);
    const briefing = page.getByTestId('briefing');
    await briefing.waitFor({ timeout: 15_000 });
    const text = (await briefing.textContent())!;
    expect(text).toContain('Événements comparables (1)');
    expect(text).toContain('Rond-point du Prado');
    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('nav.no-print').isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}briefing-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });
});
