import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { spawnNode, type NodeProcess } from '../../../server/src/testing/process.ts';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './browser.ts';

const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };

describe.skipIf(!chromiumAvailable())('the operator console in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  const env = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_DATA_DIR: dataDir, VIGIE_TILE_URL: '', VIGIE_MQTT_PORT: '0', ...(process.env.VIGIE_WEB_DIR ? { VIGIE_WEB_DIR: process.env.VIGIE_WEB_DIR } : {}) };
  let node: NodeProcess;
  let browser: Browser;
  let page: Page;
  let alertId = '';

  beforeAll(async () => {
    [node, browser] = await Promise.all([spawnNode(env), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in as operator: a wrong password is refused, the right one opens the console', async () => {
    await page.goto(node.url);
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-username').fill('operator');
    await page.getByTestId('login-password').fill('wrong');
    await page.getByTestId('login-submit').click();
    await expectVisible(page, 'login-error');
    await page.getByTestId('login-password').fill('operator');
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="map"]');
  });

  it('an event posted through the API appears as an alert in the queue and on the map', async () => {
    const markers = Number(await page.getByTestId('map').getAttribute('data-alert-markers'));
    const event = {
      id: 'e2e-1', source: 'csu', type: 'incident.assault', time: new Date().toISOString(),
      location: { lat: 43.2951, lon: 5.374 }, severity: 4, attributes: { injured: 1 }, text: 'Agression quai du Port',
    };
    const res = await fetch(`${node.url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify(event) });
    expect(res.status).toBe(202);
    const row = page.locator('[data-testid="alert-row"][data-severity="high"]').first();
    await row.waitFor({ timeout: 10_000 });
    alertId = (await row.getAttribute('data-alert-id'))!;
    expect(await row.textContent()).toContain('Agression avec blessé');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-alert-markers')) > n, markers);
    // It came in a compressed batch: Chromium asked for them and inflated this one.
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(Number(/^vigie_live_packed_clients (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: `${SCREENSHOTS}console-queue-1920.png` });
  });

  it("opens the alert's detail with its explanation, and acknowledges it from the keyboard", async () => {
    await page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`).click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('incident.assault');
    // The event said by what it is, the rule by its id (an operator has no rules area to open it in).
    expect(await detail.locator('p.summary').textContent()).toBe('Un événement «\u00a0agression\u00a0» signalé par csu remplit les conditions de la règle.');
    expect(await detail.getByTestId('evidence-timeline').textContent()).toContain('agression · csu');
    expect(await detail.getByTestId('detail-rule-link').count()).toBe(0);
    // The rule by its title beside its id, and what it watches, in the console's language.
    await detail.getByTestId('detail-rule-watches').waitFor();
    expect(await detail.getByTestId('detail-rule').textContent()).toMatch(/^\s*Agression avec blessé\s+assault-injured\s*$/);
    expect(await detail.getByTestId('detail-rule-watches').textContent()).toBe('Une agression signalée avec au moins un blessé, quelle que soit la source.');
    await page.waitForTimeout(800); // let the map's fly-to finish before the picture
    await page.screenshot({ path: `${SCREENSHOTS}console-detail-1920.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCREENSHOTS}console-detail-1366.png` });
    await page.keyboard.press('a');
    await page.waitForSelector(`[data-testid="alert-row"][data-alert-id="${alertId}"][data-status="acknowledged"]`);
    // In English, the stock rule's own English words: in the queue, the detail's title and its actions.
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"] .title`);
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="alert-row"][data-alert-id="${id}"] .title`)?.textContent?.startsWith('Assault with an injured person'), alertId);
    expect(await detail.locator('h2').textContent()).toMatch(/^Assault with an injured person — /);
    expect(await detail.locator('ol.suggested').textContent()).toContain('Send a patrol');
    expect(await detail.getByTestId('detail-rule-watches').textContent()).toBe('An assault reported with at least one injured person, whatever the source.');
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr' || document.querySelector('[data-testid="lang-toggle"]')?.getAttribute('data-lang') === 'fr');
    expect(await row.textContent()).toMatch(/^Agression avec blessé — /);
  });

  /** A warning's end as the console words it: "jusqu’à 23:40", "jusqu’à demain 01:40" on the city's next day, or with its day when later. */
  const UNTIL = 'jusqu’(?:à (?:demain )?\\d\\d:\\d\\d|au \\S+ \\d+ \\S+, \\d\\d:\\d\\d)';
  it("a prefecture's CAP warning shows on the map and in the top bar as it arrives, and goes when lifted", { timeout: 30_000 }, async () => {
    const cap = (msgType: 'Alert' | 'Cancel', identifier: string, extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier><sender>vigilance@meteo.fr</sender>
<sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>${msgType}</msgType><scope>Public</scope>${extra}</alert>`;
    const post = (body: string) => fetch(`${node.url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/cap+xml' }, body });
    const expires = new Date(Date.now() + 2 * 3_600_000).toISOString().slice(0, 19) + '+00:00';
    const warning = cap('Alert', 'e2e-vent', `<info><category>Met</category><event>Vigilance jaune vent violent</event><urgency>Future</urgency><severity>Moderate</severity>
<certainty>Likely</certainty><expires>${expires}</expires><area><areaDesc>Littoral sud</areaDesc><polygon>43.292,5.352 43.286,5.372 43.262,5.383 43.243,5.371 43.258,5.349 43.292,5.352</polygon></area></info>`);
    expect((await post(warning)).status).toBe(202);
    const chip = page.getByTestId('warning');
    await chip.waitFor({ timeout: 10_000 });
    // Two hours from now may be tomorrow on the city's clock (a run after 22:00): then its day is named.
    expect(await chip.textContent()).toMatch(new RegExp(`Vigilance jaune vent violent · Littoral sud · ${UNTIL}`));
    await page.waitForSelector('.zone-label.zone-warning', { timeout: 5000 });
    expect(await page.locator('.zone-label.zone-warning').textContent()).toBe('⚠ Vigilance jaune vent violent · Littoral sud');
    // At 1366 px the warning stays readable in the top bar.
    expect((await chip.boundingBox())!.width).toBeGreaterThan(250); // 195 px before the bar made room for it
    // …and its end stays in sight (the area's name gives way when room is short).
    const [until, box] = [await chip.locator('.until').boundingBox(), await chip.boundingBox()];
    expect(until!.width).toBeGreaterThan(40);
    expect(until!.x + until!.width).toBeLessThanOrEqual(box!.x + box!.width);
    // Picked in the top bar, the warning's area is framed on the map (it lay off screen, the map on the alert).
    const labelOnMap = () => page.evaluate(() => {
      const l = document.querySelector('.zone-label.zone-warning')!.getBoundingClientRect();
      const m = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      return l.left >= m.left && l.right <= m.right && l.top >= m.top && l.bottom <= m.bottom;
    });
    expect(await labelOnMap()).toBe(false);
    await chip.click();
    await page.waitForFunction(() => {
      const l = document.querySelector('.zone-label.zone-warning')!.getBoundingClientRect();
      const m = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      return l.left >= m.left && l.right <= m.right && l.top >= m.top && l.bottom <= m.bottom;
    }, undefined, { timeout: 3000 });
    expect(await labelOnMap()).toBe(true);
    await page.waitForTimeout(600); // the end of the map's move, for the picture
    await page.screenshot({ path: `${SCREENSHOTS}console-warning-1366.png` });
    // The whole city at 1366 px: the old town's places crowd, yet no label on the map covers another.
    await page.keyboard.press('v');
    // Labels are laid out again at the end of the zoom, which a slow machine takes longer to reach.
    await expect.poll(() => overlappingLabels(page), { timeout: 10_000 }).toEqual([]);
    // Two more warnings: one button lists the three (side by side, each was cut to "⚠ Vigilan…" at 1366 px).
    const storm = (id: string, area: string) => cap('Alert', id, `<info><category>Met</category><event>Vigilance orange orages</event><urgency>Future</urgency><severity>Severe</severity>
<certainty>Likely</certainty><expires>${expires}</expires><area><areaDesc>${area}</areaDesc><circle>43.2698,5.3959 1.2</circle></area></info>`);
    expect((await post(storm('e2e-orages-1', 'Vélodrome'))).status).toBe(202);
    expect((await post(storm('e2e-orages-2', 'Prado'))).status).toBe(202);
    const toggle = page.getByTestId('warnings-toggle');
    await page.waitForFunction(() => document.querySelector('[data-testid="warnings-toggle"]')?.textContent?.includes('3 vigilances'), undefined, { timeout: 10_000 });
    await toggle.click();
    const items = page.getByTestId('warning');
    expect(await items.allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^⚠ Vigilance jaune vent violent · Littoral sud · ${UNTIL}$`)),
      expect.stringMatching(new RegExp(`^⚠ Vigilance orange orages · Prado · ${UNTIL}$`)),
      expect.stringMatching(new RegExp(`^⚠ Vigilance orange orages · Vélodrome · ${UNTIL}$`)),
    ]);
    // None cut, none under the alert detail that is open beside the map.
    for (const item of await items.all()) {
      expect(await item.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return el.scrollWidth <= el.clientWidth && el.contains(document.elementFromPoint(r.right - 4, r.top + r.height / 2));
      })).toBe(true);
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('warning');
    // While the list is open, ↓ is the list's, not the queue's: no alert opens under it.
    const detailBefore = await page.getByTestId('alert-detail').getAttribute('data-alert-id').catch(() => null);
    await page.keyboard.press('ArrowDown');
    expect(await items.count()).toBe(3);
    expect(await page.getByTestId('alert-detail').getAttribute('data-alert-id').catch(() => null)).toBe(detailBefore);
    await page.screenshot({ path: `${SCREENSHOTS}console-warnings-1366.png` });
    // Échap closes the list, the focus on its button; a warning picked closes it too
    await page.keyboard.press('Escape');
    await items.first().waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('warnings-toggle');
    await page.keyboard.press('Enter');
    await items.nth(2).click();
    await items.first().waitFor({ state: 'detached' });
    for (const id of ['e2e-orages-1', 'e2e-orages-2']) {
      expect((await post(cap('Cancel', `${id}-fin`, `<references>vigilance@meteo.fr,${id},2026-11-28T20:00:00+01:00</references>
<info><category>Met</category><event>Fin de vigilance</event><urgency>Past</urgency><severity>Minor</severity><certainty>Observed</certainty></info>`))).status).toBe(202);
    }
    await page.getByTestId('warnings-toggle').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('warning').waitFor();
    const lift = cap('Cancel', 'e2e-vent-fin', `<references>vigilance@meteo.fr,e2e-vent,2026-11-28T20:00:00+01:00</references>
<info><category>Met</category><event>Fin de vigilance</event><urgency>Past</urgency><severity>Minor</severity><certainty>Observed</certainty></info>`);
    expect((await post(lift)).status).toBe(202);
    await page.getByTestId('warnings').waitFor({ state: 'detached', timeout: 10_000 });
    // Leaflet fades a tooltip out (200 ms) before it leaves the page.
    await page.waitForFunction(() => document.querySelectorAll('.zone-label.zone-warning').length === 0, undefined, { timeout: 2000 });
  });

  it('alerts survive a restart of the server on the same data folder', { timeout: 60_000 }, async () => {
    await node.stop();
    await page.waitForSelector('[data-testid="connection-status"]:not([data-state="connected"])', { timeout: 10_000 });
    node = await spawnNode({ ...env });
    // the session is stored too: the console opens without signing in again
    await page.goto(node.url);
    await page.waitForSelector(`[data-testid="alert-row"][data-alert-id="${alertId}"][data-status="acknowledged"]`, { timeout: 15_000 });
  });
});

/** The pairs of the map's shown labels (places, zones, warnings) that overlap, by their text. */
function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('.leaflet-tooltip.place-label, .leaflet-tooltip.zone-label')]
      .filter((el) => getComputedStyle(el).visibility === 'visible' && el.getBoundingClientRect().width > 0);
    const out: string[] = [];
    shown.forEach((a, i) => shown.slice(i + 1).forEach((b) => {
      const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) out.push(`${a.textContent} / ${b.textContent}`);
    }));
    return out;
  });
}

async function expectVisible(page: Page, testId: string) {
  await page.getByTestId(testId).waitFor({ state: 'visible', timeout: 5000 });
}
