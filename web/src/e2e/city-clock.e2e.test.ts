import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatDateTime } from '../lib/format/time.ts';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, consoleSuite, postEvents, openArea, signedIn } from './operator.ts';

/** A browser far from the city: whatever it shows on its own clock is 5 or 6 hours off Marseille's. */
const BROWSER_ZONE = 'America/New_York';
const CITY_ZONE = 'Europe/Paris';

async function signedInElsewhere(browser: Browser, url: string, username: string) {
  const page = await signedIn(browser, url, username, undefined, { timezoneId: BROWSER_ZONE, locale: 'fr-FR' });
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_ZONE);
  return page;
}

describe.skipIf(!chromiumAvailable())('times on the city clock in a browser of another time zone', () => {
  const suite = consoleSuite();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-clock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the alert detail shows an alert\'s times on Marseille\'s clock, not the browser\'s', { timeout: 60_000 }, async () => {
    // A whole second two minutes ago, so that the detail's times are known to the second.
    const time = new Date(Math.floor((Date.now() - 120_000) / 1000) * 1000).toISOString();
    const id = `clock-${Date.now()}`;
    await postEvents(suite.node.url, [{ id, source: 'csu', type: 'incident.assault', time, location: { lat: 43.2965, lon: 5.3698 }, severity: 4, attributes: { injured: 1 } }]);
    const alertId = await alertIdFor(suite.node.url, id);
    const page = await signedInElsewhere(suite.browser, suite.node.url, 'operator');
    await page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`).click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(formatDateTime(time, 'fr', CITY_ZONE));
    expect(text).not.toContain(formatDateTime(time, 'fr', BROWSER_ZONE));
    // The same clock as the console's warnings and the wall's: the zone of /api/v1/config.
    await page.screenshot({ path: `${SCREENSHOTS}city-clock-alert-detail.png` });
  });

  it('the import preview shows a CSV\'s "21:14" as 21:14, not the browser\'s clock', { timeout: 60_000 }, async () => {
    const csv = join(dir, 'main-courante.csv');
    writeFileSync(csv, 'Numéro;Nature;Date;Heure;Latitude;Longitude;Gravité;Observations\r\nMC-1;Vol;15/01/2026;21:14;43.29650;5.36980;2;Équipe sur place\r\n');
    const page = await signedInElsewhere(suite.browser, suite.node.url, 'supervisor');
    await openArea(page, 'import');
    await page.getByTestId('import-page').waitFor();
    await page.getByTestId('import-file').setInputFiles(csv);
    await page.getByTestId('import-source').fill('csu-clock');
    const row = page.locator('[data-testid="preview-row"]').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('15/01/2026 21:14');
    expect(text).not.toContain('15:14');
    await page.screenshot({ path: `${SCREENSHOTS}city-clock-import-preview.png` });
  });
});
