import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

const FEED = { authorization: 'Bearer demo-feed-token' };

/**
 * Tomorrow 06:00 on Marseille's clock: a warning's end that the top bar says the same way
 * whatever the hour the test runs ("jusqu'à demain 06:00"); one ending two hours from now read
 * "jusqu'à 23:43" by day and "jusqu'à demain 01:05" late in the evening, a longer text.
 */
function tomorrowSixInParis(): string {
  const hourIn = (ms: number) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(ms));
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(Date.now()).split('-').map(Number) as [number, number, number];
  let at = Date.UTC(y, m - 1, d + 1, 5); // 06:00 in winter (UTC+1)
  if (hourIn(at) !== 6) at -= 3_600_000; // 06:00 in summer (UTC+2)
  return new Date(at).toISOString().slice(0, 19) + '+00:00';
}

/** A prefecture's CAP warning over the southern coast, in force until tomorrow morning. */
function windWarning(): string {
  const expires = tomorrowSixInParis();
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>e2e-layout-vent</identifier><sender>vigilance@meteo.fr</sender>
<sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Vigilance jaune vent violent</event><urgency>Future</urgency><severity>Moderate</severity>
<certainty>Likely</certainty><expires>${expires}</expires><area><areaDesc>Littoral sud</areaDesc><polygon>43.292,5.352 43.286,5.372 43.262,5.383 43.243,5.371 43.258,5.349 43.292,5.352</polygon></area></info></alert>`;
}

let n = 0;
/** A serious road accident (a critical alert), here inside the warning's area. */
const crash = (lat: number, lon: number) => ({ id: `crash-layout-${Date.now()}-${n++}`, source: 'police', type: 'accident.car', time: new Date().toISOString(), location: { lat, lon }, severity: 5 });

/** Whether the page scrolls sideways, and where the queue's right edge is. */
const widths = (page: Page) => page.evaluate(() => {
  const queue = document.querySelector('[data-testid="alert-queue"]')!.getBoundingClientRect();
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth, queueRight: queue.right, queueWidth: queue.width };
});

/** Whether an element's text is cut (ellipsis): wider or taller inside than shown. */
const cut = (page: Page, selector: string) => page.evaluate((s) => {
  const e = document.querySelector<HTMLElement>(s)!;
  return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
}, selector);

describe.skipIf(!chromiumAvailable())('the queue and the top bar with a warning in force', () => {
  const suite = consoleSuite();
  let page: Page;
  let inWarning = '';

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator', { width: 1920, height: 1080 });
    const res = await fetch(`${suite.node.url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/cap+xml' }, body: windWarning() });
    expect(res.status).toBe(202);
    await page.getByTestId('warning').waitFor({ timeout: 10_000 });
    // An accident inside the warning's area: its zones read "… · Vigilance jaune vent violent · Littoral sud".
    const event = crash(43.27, 5.372);
    await postEvents(suite.node.url, [event]);
    inWarning = await alertIdFor(suite.node.url, event.id);
    // …and a few more alerts, the search's results
    const others = [assault(43.2951, 5.374), assault(43.3001, 5.4001)];
    for (const e of others) await postEvents(suite.node.url, [e]);
    for (const e of others) await row(page, await alertIdFor(suite.node.url, e.id)).waitFor({ timeout: 10_000 });
    await row(page, inWarning).waitFor({ timeout: 10_000 });
  }, 90_000);

  it('keeps the queue on screen at 1920 and 1366 px: a long zone line wraps (two lines at most, whole in its tooltip), the page never scrolls sideways', { timeout: 60_000 }, async () => {
    const zones = row(page, inWarning).getByTestId('row-zones');
    expect(await zones.getAttribute('title')).toMatch(/Vigilance jaune vent violent · Littoral sud/);
    for (const [width, height] of [[1920, 1080], [1366, 768]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      const before = await widths(page);
      expect(before.scrollWidth).toBeLessThanOrEqual(before.innerWidth);
      expect(before.queueRight).toBeLessThanOrEqual(before.innerWidth);
      expect(before.queueWidth).toBeLessThanOrEqual(width === 1920 ? 461 : 401); // --queue-width
      // the count, the row's time and countdown in sight
      for (const testid of ['alert-count', 'queue-search']) {
        const box = (await page.getByTestId(testid).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      const timer = (await row(page, inWarning).getByTestId('ack-timer').boundingBox())!;
      expect(timer.x + timer.width).toBeLessThanOrEqual(width);
      // two lines at most
      const lineHeight = await zones.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.2);
      expect((await zones.boundingBox())!.height).toBeLessThanOrEqual(lineHeight * 2 + 2);
      // opening the alert does not shift the page either
      await row(page, inWarning).click();
      await page.getByTestId('alert-detail').waitFor();
      const open = await widths(page);
      expect(open.scrollWidth).toBeLessThanOrEqual(open.innerWidth);
      expect(open.queueRight).toBeLessThanOrEqual(open.innerWidth);
      expect(await page.evaluate(() => scrollX)).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}queue-warning-${width}.png` });
      await page.keyboard.press('Escape');
      await page.getByTestId('alert-detail').waitFor({ state: 'detached' });
    }
  });

  it('gives the warning in the top bar its whole text at 1920 px (the user’s name whole too), and the most room at 1366 px', { timeout: 30_000 }, async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    const chip = page.getByTestId('warning');
    expect(await chip.getAttribute('title')).toMatch(/^⚠?\s*Vigilance jaune vent violent · Littoral sud · jusqu’à demain 06:00$/);
    expect(await cut(page, '[data-testid="warning"] .name')).toBe(false);
    expect(await cut(page, '[data-testid="current-user"] .display-name')).toBe(false);
    expect(await page.locator('[data-testid="current-user"] .display-name').textContent()).toBe('Opératrice de démonstration');
    // the words that icons say gave way (their names stay in their tooltips)
    expect(await page.getByTestId('logout').getAttribute('title')).toBe('Déconnexion');
    const bar = await page.evaluate(() => ({ bar: document.querySelector('header.topbar')!.scrollWidth, innerWidth }));
    expect(bar.bar).toBeLessThanOrEqual(bar.innerWidth);
    await page.screenshot({ path: `${SCREENSHOTS}topbar-warning-1920.png`, clip: { x: 0, y: 0, width: 1920, height: 60 } });

    // 1366 px: the user's name gives way before the warning, whose end stays in sight
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(300);
    const [name, user] = await Promise.all([
      page.locator('[data-testid="warning"] .name').evaluate((e) => ({ shown: e.clientWidth, whole: e.scrollWidth })),
      page.locator('[data-testid="current-user"]').boundingBox(),
    ]);
    // most of it (the feeds badge beside it is wider before the first health report: "État des flux";
    // 0.8 of it with an end said "jusqu'à 23:43", 0.7 with "jusqu'à demain 06:00")
    expect(name.shown / name.whole).toBeGreaterThan(0.68);
    expect(user!.width).toBeLessThan(110);
    const [until, box] = [await chip.locator('.until').boundingBox(), await chip.boundingBox()];
    expect(until!.x + until!.width).toBeLessThanOrEqual(box!.x + box!.width);
    await page.screenshot({ path: `${SCREENSHOTS}topbar-warning-1366.png`, clip: { x: 0, y: 0, width: 1366, height: 60 } });
  });

  it('goes from the search field to its first result with ↓ or Entrée; Échap still clears the search and leaves it', { timeout: 30_000 }, async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-alert-id') ?? document.activeElement?.getAttribute('data-testid') ?? null);
    const firstShown = () => page.locator('[data-testid="alert-row"]').first().getAttribute('data-alert-id');
    // ↓: the first result highlighted, open and focused (as the queue's own ↓)
    await page.keyboard.press('/');
    expect(await focused()).toBe('queue-search');
    await page.keyboard.type('Agression');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 2);
    const first = (await firstShown())!;
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(first);
    await page.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${first}"]`, { timeout: 5000 });
    expect(await row(page, first).getAttribute('class')).toContain('cursor');
    // the queue's keys go on from there
    await page.keyboard.press('ArrowDown');
    expect(await focused()).not.toBe(first);
    // Entrée does the same
    await page.keyboard.press('/');
    await page.getByTestId('queue-search').fill('Accident');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 1);
    await page.keyboard.press('Enter');
    expect(await focused()).toBe(inWarning);
    await page.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${inWarning}"]`, { timeout: 5000 });
    // Échap in the field: the search cleared, the keys back to the queue (unchanged)
    await page.keyboard.press('/');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('queue-search').inputValue()).toBe('');
    expect(await focused()).toBe(inWarning);
    // no result: ↓ leaves the focus in the field
    await page.keyboard.press('/');
    await page.keyboard.type('zzz-nothing');
    await page.getByTestId('queue-no-match').waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('queue-search');
    await page.keyboard.press('Escape');
  });

  it('names the assignee by display name where the console knows it: "Pour Opératrice de démonstration", not "Pour operator"', { timeout: 30_000 }, async () => {
    await row(page, inWarning).click();
    await page.getByTestId('assign-me').click();
    const assignee = row(page, inWarning).getByTestId('row-assignee');
    await assignee.waitFor({ timeout: 5000 });
    expect(await assignee.textContent()).toBe('Pour Opératrice de démonstration');
    expect(await page.getByTestId('detail-assignee').textContent()).toBe('Opératrice de démonstration');
    // the history says who took it the same way
    expect(await page.getByTestId('alert-detail').textContent()).toContain('Opératrice de démonstration');
    // still in the row's width (cut, whole in its tooltip), the page still not scrolling sideways
    expect(await assignee.getAttribute('title')).toBe('Pour Opératrice de démonstration');
    const w = await widths(page);
    expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
    // A colleague's console (a supervisor's, no administrator) names the operator the same way.
    const colleague = await signedIn(suite.browser, suite.node.url, 'supervisor');
    const theirs = row(colleague, inWarning).getByTestId('row-assignee');
    await colleague.waitForFunction((id) => document.querySelector(`[data-testid="alert-row"][data-alert-id="${id}"] [data-testid="row-assignee"]`)?.textContent === 'Pour Opératrice de démonstration', inWarning, { timeout: 10_000 });
    expect(await theirs.getAttribute('title')).toBe('Pour Opératrice de démonstration');
    await colleague.context().close();
  });
});
