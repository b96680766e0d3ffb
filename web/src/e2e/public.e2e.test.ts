import { describe, expect, it } from 'vitest';
import type { PublicIndicators } from '@vigie/rules';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, postEvents } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the public page in Chromium', () => {
  const suite = consoleSuite();

  it('shows anyone, signed in or not, the published week by day and by sector, on a map and in tables, in French or English', { timeout: 60_000 }, async () => {
    // Today's events are not in the week published (the last whole one): the page shows what the API says, whatever it is.
    await postEvents(suite.node.url, [{ id: 'public-today', source: 'csu', type: 'incident.theft', time: new Date().toISOString(), location: { lat: 43.2951, lon: 5.374 } }]);
    const api = (await (await fetch(`${suite.node.url}/api/v1/public/indicators`)).json()) as PublicIndicators;
    const page = await suite.browser.newPage({ viewport: { width: 1366, height: 768 } });
    // The figures not coming at first: said, in the page's language, with a way to ask again.
    await page.route('**/api/v1/public/indicators', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'VIGIE_UNAVAILABLE', message: 'database: down' } }) }));
    await page.goto(`${suite.node.url}/login`);
    await page.getByTestId('login-public').click();
    await page.locator('[data-testid="public-page"][data-state="failed"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/^Les indicateurs ne sont pas disponibles pour l’instant\u00a0: .+ Réessayer$/);
    await page.unroute('**/api/v1/public/indicators');
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.locator('[data-testid="public-page"][data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/\/public$/); // no sign-in asked
    for (const c of api.categories) {
      const total = page.locator(`[data-testid="public-card"][data-category="${c}"] .total`);
      expect(await total.textContent()).toBe(api.totals[c].toLocaleString('fr-FR'));
    }
    const top = [...api.zones].filter((z) => z.kind === api.zones[0]!.kind).sort((a, b) => b.counts.incident - a.counts.incident || a.name.localeCompare(b.name, 'fr'))[0]!;
    const first = page.getByTestId('public-zone').first();
    expect(await first.locator('th').textContent()).toBe(top.name);
    expect(await first.locator('td').first().getAttribute('title')).toMatch(/^Arrondi au hasard\u00a0: de \d+ à \d+$/);
    // The map draws the sectors of the division shown, coloured by the category picked on a card.
    const zonesShown = api.zones.filter((z) => z.kind === top.kind).length;
    await page.locator(`[data-testid="public-map"][data-category="incident"][data-zones="${zonesShown}"]`).waitFor();
    await page.locator('[data-testid="public-card"][data-category="accident"]').click();
    await page.locator('[data-testid="public-map"][data-category="accident"]').waitFor();
    expect(await page.getByTestId('public-map').locator('path.leaflet-interactive').count()).toBe(zonesShown);
    // With a mouse, the map drags as ever.
    expect(await page.getByTestId('public-map').getAttribute('data-touch')).toBe('false');
    expect(await page.getByTestId('public-map').getAttribute('class')).toContain('leaflet-grab');
    await page.screenshot({ path: `${SCREENSHOTS}public-1366.png`, fullPage: true });
    await page.getByTestId('public-filter').fill('zzz');
    await page.getByText('Aucun secteur ne correspond.').waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { level: 1 }).getByText('Public indicators').waitFor();
    expect(await page.getByTestId('public-period').textContent()).toMatch(/^Week of Monday \d+ \w+ to Sunday \d+ \w+ \d{4}, on Marseille’s clock; published the Monday after at 6 am\.$/);
    expect(await page.getByTestId('public-period').textContent()).toContain(api.to.slice(0, 4));
    await page.close();
  });

  it('lets a mouse wheel scroll the page over the map: the map zooms with Ctrl, or once clicked, and says so', { timeout: 60_000 }, async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${suite.node.url}/public`);
    await page.locator('[data-testid="public-page"][data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="public-map"]:not([data-zones="0"])').waitFor({ timeout: 20_000 });
    const map = page.getByTestId('public-map');
    const hint = page.getByTestId('public-map-hint');
    // The map in the middle of the screen, the page still scrolling both ways.
    await page.evaluate(() => document.querySelector('[data-testid="public-map"]')!.scrollIntoView({ block: 'center' }));
    /** The page's scroll and the map's zoom level. */
    const state = () => page.evaluate(() => ({
      scroll: document.querySelector('[data-testid="public-page"]')!.scrollTop,
      zoom: Number(document.querySelector('[data-testid="public-map"]')!.getAttribute('data-zoom')),
    }));
    const overMap = async () => {
      const box = (await map.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    };
    const settle = () => page.waitForTimeout(700);

    // A wheel without Ctrl: the page scrolls on, the map keeps its zoom, and says how to zoom it.
    await overMap();
    const before = await state();
    expect(before.zoom).toBeGreaterThan(0);
    await page.mouse.wheel(0, 200);
    await hint.and(page.locator('[data-shown="true"][data-hint="wheel"]')).waitFor({ timeout: 5000 });
    expect(await hint.textContent()).toContain('Ctrl + molette pour zoomer');
    await settle();
    const scrolled = await state();
    expect(scrolled.scroll - before.scroll, 'the wheel scrolls the page over the map').toBeGreaterThan(100);
    expect(scrolled.zoom, 'the map keeps its zoom').toBe(before.zoom);
    await page.evaluate(() => document.querySelector('[data-testid="public-map"]')!.scrollIntoView({ block: 'center' }));
    await overMap();
    await page.mouse.wheel(0, 100);
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${SCREENSHOTS}public-wheel-hint.png` });
    await page.locator('[data-testid="public-map-hint"][data-shown="false"]').waitFor({ timeout: 5000 });

    // With Ctrl, the wheel zooms the map and the page stays where it is.
    await page.evaluate(() => document.querySelector('[data-testid="public-map"]')!.scrollIntoView({ block: 'center' }));
    await overMap();
    const centred = await state();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await settle();
    const zoomed = await state();
    expect(zoomed.zoom, 'Ctrl + wheel zooms in').toBeGreaterThan(centred.zoom);
    expect(zoomed.scroll, 'the page does not scroll').toBe(centred.scroll);
    expect(await hint.getAttribute('data-shown')).toBe('false');

    // Once the map is clicked, the wheel zooms it without Ctrl, until the mouse leaves it.
    await map.click({ position: { x: 20, y: 380 } });
    await overMap();
    await page.mouse.wheel(0, 300);
    await settle();
    const clicked = await state();
    expect(clicked.zoom, 'the wheel zooms out a clicked map').toBeLessThan(zoomed.zoom);
    expect(clicked.scroll).toBe(zoomed.scroll);
    await page.mouse.move(5, 5);
    await overMap();
    await page.mouse.wheel(0, 200);
    await settle();
    const left = await state();
    expect(left.zoom, 'out and back: the wheel no longer zooms').toBe(clicked.zoom);
    expect(left.scroll - clicked.scroll).toBeGreaterThan(100);

    // In English, the hint too.
    await page.getByTestId('lang-toggle').click();
    await page.evaluate(() => document.querySelector('[data-testid="public-map"]')!.scrollIntoView({ block: 'center' }));
    await overMap();
    await page.mouse.wheel(0, 50);
    await hint.and(page.locator('[data-shown="true"]')).waitFor({ timeout: 5000 });
    expect(await hint.textContent()).toContain('Ctrl + scroll to zoom');
    await page.close();
  });

  it('reads on a phone: two cards a row, a map that one finger scrolls past and two fingers move', { timeout: 60_000 }, async () => {
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${suite.node.url}/public`);
    await page.locator('[data-testid="public-page"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const map = page.getByTestId('public-map');
    await page.locator('[data-testid="public-map"]:not([data-zones="0"])').waitFor({ timeout: 20_000 });

    // The six cards two a row, three rows (one a row took some 1,000 px before the first table).
    const cards = await page.getByTestId('public-card').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    expect(cards).toHaveLength(6);
    expect(new Set(cards.map((c) => Math.round(c.top))).size).toBe(3);
    for (let i = 0; i < 6; i += 2) expect(Math.round(cards[i]!.top)).toBe(Math.round(cards[i + 1]!.top));
    for (const c of cards) expect(c.width).toBeLessThan(390 / 2);
    expect(cards[5]!.bottom - cards[0]!.top).toBeLessThan(650);
    await page.screenshot({ path: `${SCREENSHOTS}public-phone-390.png` });

    // A touch screen: one finger does not drag the map (it scrolls the page), two do; the wheel does not zoom it.
    expect(await map.getAttribute('data-touch')).toBe('true');
    expect(await map.getAttribute('class')).not.toContain('leaflet-touch-drag');
    await map.scrollIntoViewIfNeeded();
    /** The page's scroll and where a zone of the map is on screen. */
    const state = () => page.evaluate(() => ({
      scroll: document.querySelector('[data-testid="public-page"]')!.scrollTop,
      zone: document.querySelector('[data-testid="public-map"] path.leaflet-interactive')!.getBoundingClientRect().toJSON() as DOMRect,
    }));
    const cdp = await context.newCDPSession(page);
    const touch = async (fingers: number, dy: number) => {
      const box = (await map.boundingBox())!;
      const x = box.x + box.width / 2, y = box.y + box.height / 2;
      const points = (move: number) => Array.from({ length: fingers }, (_, i) => ({ x: x + (i - (fingers - 1) / 2) * 80, y: y + move, id: i + 1 }));
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
      for (let i = 1; i <= 10; i++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points((dy * i) / 10) });
        await page.waitForTimeout(16);
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(600);
    };
    const before = await state();
    const hint = page.waitForSelector('[data-testid="public-map-hint"][data-shown="true"]', { state: 'attached', timeout: 5000 }).then(() => true, () => false);
    await touch(1, -200);
    expect(await hint, '"use two fingers to move the map" shown while one swipes over it').toBe(true);
    const afterOne = await state();
    expect(afterOne.scroll - before.scroll, 'one finger scrolls the page').toBeGreaterThan(100);
    expect(Math.abs(before.zone.top - afterOne.zone.top - (afterOne.scroll - before.scroll)), 'the map moves with the page only').toBeLessThanOrEqual(1);
    expect(afterOne.zone.left).toBe(before.zone.left);
    await touch(2, -100);
    const afterTwo = await state();
    expect(afterTwo.scroll, 'two fingers do not scroll the page').toBe(afterOne.scroll);
    expect(afterOne.zone.top - afterTwo.zone.top, 'two fingers move the map').toBeGreaterThan(50);
    // The wheel over the map scrolls the page, the map keeps its zoom.
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(600);
    const afterWheel = await state();
    expect(afterWheel.zone.width).toBe(afterTwo.zone.width);
    expect(afterWheel.scroll).toBeGreaterThan(afterTwo.scroll);
    await page.evaluate(() => document.querySelector('[data-testid="public-map"]')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${SCREENSHOTS}public-phone-390-map.png` });
    await context.close();
  });
});
