import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Zone } from '@vigie/rules';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, consoleSuite, postEvents, signedIn } from './operator.ts';

type View = { lat: number; lon: number; zoom: number; south: number; west: number; north: number; east: number };

/** The map's view once it has stopped moving (the same twice, 300 ms apart). */
async function settledView(page: Page): Promise<View> {
  // The map's element is there at once; its map once Leaflet is loaded.
  await page.waitForFunction(() => !!(document.querySelector('[data-testid="map"]') as (HTMLElement & { consoleMap?: unknown }) | null)?.consoleMap);
  const read = () => page.evaluate(() => (document.querySelector('[data-testid="map"]') as HTMLElement & { consoleMap: { view(): View } }).consoleMap.view());
  let last = await read();
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(300);
    const next = await read();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  return last;
}

const sameView = (a: View, b: View) => a.zoom === b.zoom && Math.abs(a.lat - b.lat) < 1e-6 && Math.abs(a.lon - b.lon) < 1e-6;

const showsAll = (v: View, box: Awaited<ReturnType<typeof cityBox>>) => v.west <= box.west && v.east >= box.east && v.south <= box.south && v.north >= box.north;

/** The box around every zone of the city. */
async function cityBox(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { zones } = (await (await fetch(`${url}/api/v1/zones`, { headers: { cookie } })).json()) as { zones: Zone[] };
  const points = zones.flatMap((z) => JSON.stringify(z.geometry.coordinates).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g)!.map((p) => p.split(',').map(Number) as [number, number]));
  return { west: Math.min(...points.map((p) => p[0])), east: Math.max(...points.map((p) => p[0])), south: Math.min(...points.map((p) => p[1])), north: Math.max(...points.map((p) => p[1])) };
}

describe.skipIf(!chromiumAvailable())('the whole city on the console map', () => {
  const suite = consoleSuite();

  it('closing an alert goes back to the view it left; V and the map\'s button frame every zone', { timeout: 90_000 }, async () => {
    const event = assault(43.2965, 5.3698);
    await postEvents(suite.node.url, [event]);
    const alertId = await alertIdFor(suite.node.url, event.id);
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
    await row.waitFor();
    const overview = await settledView(page);

    // Opening the alert zooms to it; closing it (Escape) brings the overview back.
    await row.click();
    await page.getByTestId('alert-detail').waitFor();
    const focused = await settledView(page);
    expect(focused.zoom).toBeGreaterThan(overview.zoom);
    await page.keyboard.press('Escape');
    await page.getByTestId('alert-detail').waitFor({ state: 'detached' });
    expect(sameView(await settledView(page), overview)).toBe(true);

    // The operator zooms out themselves while the alert is open: closing leaves the map where they took it.
    await row.click();
    await page.getByTestId('alert-detail').waitFor();
    await settledView(page);
    await page.locator('.leaflet-control-zoom-out').click();
    const theirs = await settledView(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('alert-detail').waitFor({ state: 'detached' });
    expect(sameView(await settledView(page), theirs)).toBe(true);

    // The button, with its tooltip, frames every zone of the city.
    const box = await cityBox(suite.node.url);
    const button = page.getByTestId('map-city');
    expect(await button.getAttribute('title')).toBe('Toute la ville (V)');
    await row.click();
    await settledView(page);
    await button.click();
    const city = await settledView(page);
    expect(city.zoom).toBeLessThan(focused.zoom);
    expect(showsAll(city, box)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}map-city-button.png` });

    // The key V does the same, from a zoomed-in map with no alert open, and the hints bar says so.
    await page.keyboard.press('Escape');
    await page.locator('.leaflet-control-zoom-in').click();
    await page.locator('.leaflet-control-zoom-in').click();
    expect((await settledView(page)).zoom).toBeGreaterThan(city.zoom);
    await page.keyboard.press('v');
    const framed = await settledView(page);
    expect(framed.zoom).toBeLessThan(focused.zoom);
    expect(showsAll(framed, box)).toBe(true);
    expect(await page.getByTestId('alert-queue').locator('footer').textContent()).toContain('ville entière');
    await page.screenshot({ path: `${SCREENSHOTS}map-city-key.png` });
  });

  it('draws no surface for an empty layer, and moving the map remakes no canvas (only a new size does)', { timeout: 90_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    await settledView(page);
    const shown = (name: string) => page.evaluate((n) => getComputedStyle(document.querySelector(`canvas.${n}`)!).display !== 'none', name);
    // No vehicle feed here: its layer's canvas is hidden; a vehicle shows it, none hides it again.
    expect(await shown('vigie-vehicles')).toBe(false);
    const setVehicles = (n: number) => page.evaluate((count) => {
      const map = (document.querySelector('[data-testid="map"]') as HTMLElement & { consoleMap: { setVehicles(v: Map<string, unknown>): void } }).consoleMap;
      const one = { id: 'v1', lat: 43.2965, lon: 5.3698, time: new Date().toISOString(), seenAt: Date.now() };
      map.setVehicles(new Map(count ? [['v1', one]] : []));
    }, n);
    await setVehicles(1);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('canvas.vigie-vehicles')!).display !== 'none');
    await setVehicles(0);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('canvas.vigie-vehicles')!).display === 'none');
    expect(await shown('vigie-alerts')).toBe(true);

    // A search that matches no alert empties the alerts' layer: nothing is left to click where its points were.
    const alertId = (await page.locator('[data-testid="alert-row"]').first().getAttribute('data-alert-id'))!;
    const pointOf = (id: string) => page.evaluate((a) => (document.querySelector('[data-testid="map"]') as HTMLElement & { consoleMap: { alertPoint(id: string): unknown } }).consoleMap.alertPoint(a) ?? null, id);
    await page.keyboard.press('v');
    await page.waitForFunction((a) => (document.querySelector('[data-testid="map"]') as HTMLElement & { consoleMap: { alertPoint(id: string): unknown } }).consoleMap.alertPoint(a) !== undefined, alertId);
    await page.getByTestId('queue-search').fill('aucune-alerte-ne-dit-cela');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('canvas.vigie-alerts')!).display === 'none');
    expect(await pointOf(alertId)).toBeNull();
    await page.getByTestId('queue-search').fill('');
    await page.waitForFunction((a) => (document.querySelector('[data-testid="map"]') as HTMLElement & { consoleMap: { alertPoint(id: string): unknown } }).consoleMap.alertPoint(a) !== undefined, alertId);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // Each of the console's canvas layers counts the times its size is set (a set, even to the
    // same size, remakes its pixels; Leaflet's own canvas, the zones', does so on every move).
    await page.evaluate(() => {
      const own = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, 'width')!;
      (window as unknown as { sizeSets: number }).sizeSets = 0;
      for (const c of document.querySelectorAll('canvas.vigie-canvas')) {
        Object.defineProperty(c, 'width', {
          get() { return own.get!.call(this); },
          set(v: number) { (window as unknown as { sizeSets: number }).sizeSets++; own.set!.call(this, v); },
        });
      }
    });
    const sizeSets = () => page.evaluate(() => (window as unknown as { sizeSets: number }).sizeSets);
    const before = await settledView(page);
    await page.locator('.leaflet-control-zoom-in').click();
    expect((await settledView(page)).zoom).toBe(before.zoom + 1);
    await page.keyboard.press('v');
    expect((await settledView(page)).zoom).toBeLessThan(before.zoom + 1);
    expect(await sizeSets()).toBe(0);
    // A narrower window: the canvases take the map's new size.
    await page.setViewportSize({ width: 1500, height: 1000 });
    await page.waitForFunction(() => (window as unknown as { sizeSets: number }).sizeSets > 0);
    await page.context().close();
  });
});
