import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { assault, postEvents, signedIn, consoleSuite } from './operator.ts';

/** A busy shift: the simulator's feeds plus alerts of every severity, to look at the console as operators will. */
function scene(): unknown[] {
  const now = Date.now();
  const at = (s: number) => new Date(now - s * 1000).toISOString();
  const out: unknown[] = [];
  for (let i = 0; i < 6; i++) out.push(assault(43.29 + i * 0.004, 5.37 + (i % 3) * 0.006));
  out.push({ id: `crash-${now}`, source: 'police', type: 'accident.car', time: at(30), location: { lat: 43.3045, lon: 5.3945 }, severity: 5 });
  out.push({ id: `tram-${now}`, source: 'rtm', type: 'transport.incident.collision', time: at(60), location: { lat: 43.2985, lon: 5.3835 }, severity: 4 });
  for (let i = 0; i < 4; i++) out.push({ id: `cit-${now}-${i}`, source: 'citizen', type: 'citizen.report.noise', time: at(100 + i), location: { lat: 43.2935 + i * 0.0004, lon: 5.3755 }, severity: 2 });
  for (let i = 0; i < 40; i++) out.push({ id: `inc-${now}-${i}`, source: 'csu', type: i % 2 ? 'incident.theft' : 'incident.damage', time: at(200 + i * 30), location: { lat: 43.28 + (i % 8) * 0.005, lon: 5.36 + Math.floor(i / 8) * 0.008 }, severity: 1 + (i % 3) });
  return out;
}

describe.skipIf(!chromiumAvailable())('screenshots of the console', () => {
  const suite = consoleSuite({ VIGIE_SIMULATOR: '1' });
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'supervisor');
  }, 60_000);

  it('1920×1080 and 1366×768, queue and detail, with clusters, vehicles, heatmap and zone counts', { timeout: 90_000 }, async () => {
    await postEvents(suite.node.url, scene());
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-alert-markers')) >= 8, undefined, { timeout: 20_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-vehicle-markers')) > 0, undefined, { timeout: 20_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-event-markers')) > 20, undefined, { timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCREENSHOTS}console-live-1920.png` });
    const critical = page.locator('[data-testid="alert-row"][data-severity="critical"]').first();
    await critical.click();
    await page.getByTestId('alert-detail').waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SCREENSHOTS}console-detail-critical-1920.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SCREENSHOTS}console-detail-critical-1366.png` });
    await page.keyboard.press('Escape');
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('queue-grouping').selectOption('rule');
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SCREENSHOTS}console-grouped-1366.png` });
    expect(await page.getByTestId('queue-group').count()).toBeGreaterThan(1);
  });
});
