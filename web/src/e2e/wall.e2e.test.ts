import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { spawnNode, type NodeProcess } from '../../../server/src/testing/process.ts';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './browser.ts';
import { zonesBounds } from '../lib/wall/wall-map.ts';

const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };
/** Personal strings planted in the events: none may reach the wall. */
const PLANTED = ['Jeanne Martin-Planté', '06 98 76 54 32', 'csu-e2e-wall-secret'];

/** A free TCP port, so that the server can be restarted on the same address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = FEED) =>
  fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

async function supervisor(url: string) {
  const res = await post(url, '/api/v1/auth/login', { username: 'supervisor', password: 'supervisor' }, { 'content-type': 'application/json' });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

const assault = (id: string, lat: number, lon: number, personal = false) => ({
  id, source: 'csu', type: 'incident.assault', time: new Date().toISOString(), location: { lat, lon }, severity: 4,
  attributes: personal ? { injured: 1, witness: PLANTED[0]! } : { injured: 1 },
  ...(personal ? { text: `Agression, témoin ${PLANTED[0]} joignable au ${PLANTED[1]}` } : {}),
});

describe.skipIf(!chromiumAvailable())('the wall display in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-wall-e2e-'));
  let env: Record<string, string>;
  let node: NodeProcess;
  let browser: Browser;
  let page: Page;
  const received: string[] = [];

  beforeAll(async () => {
    env = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_DATA_DIR: dataDir, VIGIE_TILE_URL: '', PORT: String(await freePort()) };
    [node, browser] = await Promise.all([spawnNode(env), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Everything the wall receives: socket frames and API answers.
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    page.on('response', (r) => { if (r.url().includes('/api/')) void r.text().then((t) => received.push(t), () => {}); });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused clearly without a token or with a wrong one', { timeout: 30_000 }, async () => {
    await page.goto(`${node.url}/wall`);
    await page.getByTestId('wall-refused').waitFor();
    await page.goto(`${node.url}/wall?token=not-a-token`);
    await page.getByTestId('wall-refused').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('wall-refused').textContent()).toContain('Jeton');
  });

  it('opens with the display token alone, shows a live major event and the alerts, without any personal data', { timeout: 60_000 }, async () => {
    const sup = await supervisor(node.url);
    const start = new Date(Date.now() - 30 * 60_000).toISOString();
    const end = new Date(Date.now() + 90 * 60_000).toISOString();
    const perimeter = { type: 'Polygon', coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] };
    const created = await post(node.url, '/api/v1/calendar', {
      title: 'OM – Olympique lyonnais (Ligue 1, 14e journée)', kind: 'match', venue: 'Stade Vélodrome', location: { lat: 43.2699, lon: 5.3959 }, perimeter,
      startsAt: start, endsAt: end, expectedAttendance: 62000,
    }, sup);
    expect(created.status).toBe(201);

    await page.goto(`${node.url}/wall?token=demo-wall`);
    await page.waitForSelector('[data-testid="wall-root"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="wall-link"][data-state="connected"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="wall-event"][data-phase="during"]', { timeout: 20_000 });

    expect((await post(node.url, '/api/v1/events', [assault(PLANTED[2]!, 43.2965, 5.3698, true), assault('e2e-wall-2', 43.2705, 5.3955)])).status).toBe(202);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="wall-map"]')?.getAttribute('data-alert-markers')) === 2, undefined, { timeout: 15_000 });
    // The count follows the alerts (read again a second after they came), not at the next 15 s reading.
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-alert-count"]')?.textContent?.trim() === '2', undefined, { timeout: 5_000 });
    await page.waitForTimeout(1500); // a map sample and a feed-health frame or two
    await page.screenshot({ path: `${SCREENSHOTS}wall-1920.png` });

    expect(received.length).toBeGreaterThan(3);
    const all = received.join('\n');
    expect(all).toContain('incident.assault');
    expect(received.some((r) => r.includes('"events:sample"')), 'a map sample was received').toBe(true);
    for (const p of PLANTED) {
      const leaks = received.filter((r) => r.includes(p)).map((r) => r.slice(0, 80));
      expect(leaks, `"${p}" reached the wall`).toEqual([]);
    }
    // The wall never signed in: no session cookie in the browser.
    expect(await page.context().cookies()).toEqual([]);
  });

  it('cycles through the views configured for this screen, taken at once by the open screen: the event perimeter, then the transport network', { timeout: 60_000 }, async () => {
    // A storm warning over the city centre and the stadium, where the lines meet: its names must not cover the lines'.
    const cap = readFileSync(new URL('../../../server/src/feeds/samples/cap-meteo-orages.xml', import.meta.url));
    expect((await fetch(`${node.url}/api/v1/ingest/cap?source=meteo`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/cap+xml' }, body: cap })).status).toBe(202);
    const sup = await supervisor(node.url);
    const res = await fetch(`${node.url}/api/v1/wall/screens/demo%20wall`, { method: 'PUT', headers: sup, body: JSON.stringify({ views: [{ kind: 'event' }, { kind: 'transport' }], dwellSeconds: 5 }) });
    expect(res.status).toBe(200);
    // No reload: the open screen takes its new configuration at once.
    await page.waitForSelector('[data-testid="wall-view"][data-view="event"]', { timeout: 10_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SCREENSHOTS}wall-event-1920.png` });
    // The event view counts the alerts and incidents in its perimeter (e2e-wall-2, not the one at the Vieux-Port), named so
    // (the server's figures, read every 15 s).
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-alert-count"]')?.textContent?.trim() === '1', undefined, { timeout: 20_000 });
    expect(await page.getByTestId('wall-figures-area').textContent()).toBe('\u00a0·\u00a0périmètre');
    expect(await page.getByTestId('wall-incidents-area').textContent()).toBe('\u00a0·\u00a0périmètre');
    // Its long title is whole (two lines at most, no ellipsis), its view dots well apart from the clock.
    const header = await page.evaluate(() => {
      const view = document.querySelector<HTMLElement>('[data-testid="wall-view"]')!;
      const dots = document.querySelector('.dots')!.getBoundingClientRect();
      const clock = document.querySelector('[data-testid="wall-clock"]')!.getBoundingClientRect();
      return { whole: view.scrollHeight <= view.clientHeight + 1, lines: Math.round(view.clientHeight / parseFloat(getComputedStyle(view).lineHeight)), gap: clock.left - dots.right, rem: parseFloat(getComputedStyle(document.documentElement).fontSize) };
    });
    expect(header.whole).toBe(true);
    expect(header.lines).toBeLessThanOrEqual(2);
    expect(header.gap).toBeGreaterThanOrEqual(2 * header.rem);
    await page.waitForSelector('[data-testid="wall-view"][data-view="transport"]', { timeout: 20_000 });
    await page.waitForSelector('.wall-warning-label', { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SCREENSHOTS}wall-transport-1920.png` });
    // Every line's name is shown; no label shown overlaps another or is cut by the map's edge.
    const labels = await page.evaluate(() => {
      const map = document.querySelector('[data-testid="wall-map"]')!.getBoundingClientRect();
      const shown = [...document.querySelectorAll('.wall-line-label span, .wall-warning-label')]
        .filter((el) => getComputedStyle(el).visibility !== 'hidden')
        .map((el) => ({ text: el.textContent!, box: el.getBoundingClientRect() }));
      const overlapping = shown.flatMap((a, i) => shown.slice(i + 1).filter((b) => a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom).map((b) => `${a.text} / ${b.text}`));
      const cut = shown.filter(({ box }) => box.left < map.left || box.top < map.top || box.right > map.right || box.bottom > map.bottom).map((l) => l.text);
      return { lines: document.querySelectorAll('.wall-line-label').length, linesShown: shown.filter((l) => !l.text.startsWith('⚠')).length, overlapping, cut };
    });
    expect(labels.lines).toBeGreaterThan(3);
    expect(labels).toMatchObject({ linesShown: labels.lines, overlapping: [], cut: [] });
    await page.waitForSelector('[data-testid="wall-view"][data-view="event"]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid="wall-link"][data-state="connected"]', { timeout: 15_000 });
  });

  it("a district view shows that district's alerts and incidents, named, and the city view the city's", { timeout: 60_000 }, async () => {
    const boot = (await (await fetch(`${node.url}/api/v1/wall/bootstrap?token=demo-wall`)).json()) as { zones: { id: string; name: string }[] };
    const zone = boot.zones[0]!;
    const sup = await supervisor(node.url);
    const res = await fetch(`${node.url}/api/v1/wall/screens/demo%20wall`, { method: 'PUT', headers: sup, body: JSON.stringify({ views: [{ kind: 'district', zoneId: zone.id }, { kind: 'city' }], dwellSeconds: 5 }) });
    expect(res.status).toBe(200);
    await page.waitForSelector('[data-testid="wall-view"][data-view="district"]', { timeout: 10_000 });
    const area = page.getByTestId('wall-figures-area');
    await area.waitFor({ timeout: 10_000 });
    expect(await area.textContent()).toBe(`\u00a0·\u00a0${zone.name}`);
    // The view's title names the district once ("Secteur 01", not "Secteur · Secteur 01").
    expect(await page.getByTestId('wall-view').textContent()).toBe(zone.name);
    const state = (await (await fetch(`${node.url}/api/v1/wall/state?token=demo-wall`)).json()) as { districts: Record<string, { openBySeverity: Record<string, number> }> };
    const inZone = Object.values(state.districts[zone.id]!.openBySeverity).reduce((a, b) => a + b, 0);
    expect(await page.getByTestId('wall-alert-count').textContent()).toBe(String(inZone));
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCREENSHOTS}wall-district-1920.png` });
    await page.waitForSelector('[data-testid="wall-view"][data-view="city"]', { timeout: 20_000 });
    expect(await page.getByTestId('wall-figures-area').count()).toBe(0);
  });

  it('recovers by itself after the server restarts: shows since when the link is lost, reconnects and catches up', { timeout: 90_000 }, async () => {
    const panels = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="wall-side"] [data-stale]')]
      .map((el) => `${el.dataset['testid']}:${el.dataset['stale']}:${getComputedStyle(el).filter.includes('grayscale') ? 'grey' : 'colour'}`));
    expect(await panels()).toEqual(['wall-alerts:false:colour', 'wall-incidents:false:colour', 'wall-feeds:false:colour', 'wall-event:false:colour']);
    await node.stop();
    const banner = page.locator('[data-testid="wall-link"][role="alert"]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/LIAISON PERDUE depuis \d\d:\d\d:\d\d/);
    // Every figure greyed, as of when it was read: said in type readable from 5 m.
    const stale = page.getByTestId('wall-stale');
    expect(await stale.textContent()).toMatch(/^Données de \d\d:\d\d:\d\d$/);
    expect(await stale.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(30);
    expect(await panels()).toEqual(['wall-alerts:true:grey', 'wall-incidents:true:grey', 'wall-feeds:true:grey', 'wall-event:true:grey']);
    await page.screenshot({ path: `${SCREENSHOTS}wall-link-lost-1920.png` });

    node = await spawnNode(env);
    // An alert created while the wall is still reconnecting reaches it by `sync` (or live, if it is back already).
    expect((await post(node.url, '/api/v1/events', [assault('e2e-wall-3', 43.3027, 5.3806)])).status).toBe(202);
    await page.waitForSelector('[data-testid="wall-link"][data-state="connected"]', { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="wall-map"]')?.getAttribute('data-alert-markers')) === 3, undefined, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-alert-count"]')?.textContent?.trim() === '3', undefined, { timeout: 30_000 });
    // Live again: the figures in colour, the "as of" gone.
    await page.getByTestId('wall-stale').waitFor({ state: 'detached', timeout: 5000 });
    expect(await panels()).toEqual(['wall-alerts:false:colour', 'wall-incidents:false:colour', 'wall-feeds:false:colour', 'wall-event:false:colour']);
  });

  it("shows a prefecture's CAP warning on the map and in a banner as soon as it arrives", { timeout: 30_000 }, async () => {
    const expires = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 19) + '+00:00';
    const cap = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>e2e-wall-orages</identifier><sender>vigilance@meteo.fr</sender>
<sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Vigilance orange orages</event><urgency>Future</urgency><severity>Severe</severity><certainty>Likely</certainty>
<expires>${expires}</expires><area><areaDesc>Centre-ville</areaDesc><polygon>43.31,5.365 43.306,5.392 43.288,5.398 43.284,5.37 43.296,5.358 43.31,5.365</polygon></area></info></alert>`;
    const res = await fetch(`${node.url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/cap+xml' }, body: cap });
    expect(res.status).toBe(202);
    // Told at once over the live link (the state is otherwise polled every 15 s).
    const banner = page.getByTestId('wall-warnings');
    await banner.waitFor({ timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-warnings"]')?.textContent?.includes('Centre-ville'), undefined, { timeout: 5000 });
    // Until a time today, or tomorrow when three hours from now is on the city's next day (a run after 21:00).
    expect(await banner.textContent()).toMatch(/⚠ Vigilance orange orages · Centre-ville · jusqu’à (demain )?\d\d:\d\d/);
    // Hidden while the district view frames a district it is not over (off the map): shown by the next city view.
    await page.waitForSelector('.wall-warning-label', { timeout: 12_000 });
    // Under the banner, the whole match card still fits on a 1080 px wall (its last rows were cut off).
    await page.getByTestId('wall-event').waitFor();
    const card = (await page.getByTestId('wall-event').boundingBox())!;
    expect(card.y + card.height).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: `${SCREENSHOTS}wall-warning-1920.png` });
    // A third warning: the banner keeps two lines (the second runs the others on), the card still fits.
    const wind = cap.replace('e2e-wall-orages', 'e2e-wall-vent').replace('Vigilance orange orages', 'Vigilance jaune vent violent').replace('Centre-ville', 'Littoral');
    expect((await fetch(`${node.url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/cap+xml' }, body: wind })).status).toBe(202);
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-warnings"]')?.textContent?.includes('vent violent'), undefined, { timeout: 5000 });
    expect(await banner.locator('li').count()).toBe(2);
    const fitted = (await page.getByTestId('wall-event').boundingBox())!;
    expect(fitted.y + fitted.height).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: `${SCREENSHOTS}wall-warnings-3-1920.png` });
  });

  it('shows its whole right column, clock, warnings and link without scrolling on a 1280×720 screen, and on larger ones', { timeout: 60_000 }, async () => {
    /** What goes past the screen's edges or is cut by the right column's; whether the page scrolls. */
    const cut = () => page.evaluate(() => {
      const side = document.querySelector('[data-testid="wall-side"]')!.getBoundingClientRect();
      const inside = (r: DOMRect, box: { left: number; top: number; right: number; bottom: number }) =>
        r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
      const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      const name = (el: Element) => el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.trim().slice(0, 30)}`;
      const columnCut = [...document.querySelectorAll('[data-testid="wall-side"] *')]
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && r.height > 0 && !(inside(r, screen) && inside(r, side)))
        .map(({ el }) => name(el));
      const othersCut = ['wall-clock', 'wall-warnings', 'wall-link', 'wall-view']
        .map((id) => document.querySelector(`[data-testid="${id}"]`))
        .filter((el): el is Element => el !== null && !inside(el.getBoundingClientRect(), screen))
        .map(name);
      const root = document.scrollingElement!;
      return { columnCut, othersCut, scrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth };
    });
    const none = { columnCut: [], othersCut: [], scrolls: false };
    // Two warnings in the banner (the test before), the major event's card, a district's name in the figures' headings.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('wall-warnings').waitFor();
    await page.getByTestId('wall-event').waitFor();
    for (const kind of ['district', 'city']) {
      await page.waitForSelector(`[data-testid="wall-view"][data-view="${kind}"]`, { timeout: 20_000 });
      await page.waitForTimeout(300);
      expect(await cut(), `${kind} view at 1280×720`).toEqual(none);
    }
    await page.screenshot({ path: `${SCREENSHOTS}wall-1280.png` });
    /** The smallest type of the severities' names and of the event's phases, in px on screen (the column's zoom included). */
    const smallest = () => page.evaluate(() => {
      const zoom = Number(document.querySelector<HTMLElement>('[data-testid="wall-side"] .side')?.dataset['zoom'] ?? 1);
      const px = (sel: string) => Math.min(...[...document.querySelectorAll(sel)].map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom));
      return { severities: px('[data-testid="wall-alerts"] li .l'), phases: px('[data-testid="wall-event"] li') };
    });
    for (const [width, height] of [[1366, 768], [1920, 1080], [3840, 2160]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      expect(await cut(), `${width}×${height}`).toEqual(none);
      // Readable from 5 m: 1.5rem, 25 px at 1920×1080 and twice that at 3840×2160 (zoomed out a little at most when the column runs long).
      if (width >= 1920) {
        const min = (width / 1920) * 17 * 1.5 * 0.9;
        const s = await smallest();
        expect(s.severities, `${width}×${height}`).toBeGreaterThanOrEqual(min);
        expect(s.phases, `${width}×${height}`).toBeGreaterThanOrEqual(min);
      }
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('frames the whole city in the city view, on a 1920×1080 wall as on a 3840×2160 one, its markers and strokes scaled with its text', { timeout: 60_000 }, async () => {
    const boot = (await (await fetch(`${node.url}/api/v1/wall/bootstrap?token=demo-wall`)).json()) as { zones: { name: string; geometry: { type: string; coordinates: unknown } }[] };
    const [[south, west], [north, east]] = zonesBounds(boot.zones)!;
    // An alert in each of the zones at the city's ends (north, south, east, west): all must be on screen.
    const boxes = boot.zones.map((z) => zonesBounds([z])!);
    const ends = [
      boxes.find(([, [n]]) => n === north)!, boxes.find(([[s]]) => s === south)!,
      boxes.find(([, [, e]]) => e === east)!, boxes.find(([[, w]]) => w === west)!,
    ];
    const near = ends.map(([[s, w], [n, e]]) => [(s + n) / 2, (w + e) / 2] as const);
    const before = Number(await page.getByTestId('wall-map').getAttribute('data-alert-markers'));
    expect((await post(node.url, '/api/v1/events', near.map(([lat, lon], i) => assault(`e2e-wall-end-${i}`, lat, lon)))).status).toBe(202);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="wall-map"]')?.getAttribute('data-alert-markers')) === n, before + near.length, { timeout: 15_000 });

    const sup = await supervisor(node.url);
    expect((await fetch(`${node.url}/api/v1/wall/screens/demo%20wall`, { method: 'PUT', headers: sup, body: JSON.stringify({ views: [{ kind: 'city' }], dwellSeconds: 30 }) })).status).toBe(200);
    await page.waitForSelector('[data-testid="wall-view"][data-view="city"]', { timeout: 10_000 });
    /** The map's bounds (south, west, north, east), its scale and zoom, once the map has taken the screen's scale. */
    const shown = async (scale: number) => {
      await page.waitForSelector(`[data-testid="wall-map"][data-scale="${scale}"]`, { timeout: 10_000 });
      await page.waitForTimeout(300);
      const map = page.getByTestId('wall-map');
      const [s, w, n, e] = (await map.getAttribute('data-bounds'))!.split(',').map(Number) as [number, number, number, number];
      return { s, w, n, e, zoom: Number(await map.getAttribute('data-zoom')) };
    };
    for (const [width, height, scale] of [[1920, 1080, 1], [3840, 2160, 2], [1280, 720, 0.67]] as const) {
      await page.setViewportSize({ width, height });
      const b = await shown(scale);
      // Every zone inside the map's bounds (Hôpital Nord and La Rose to the north, Luminy and Pointe Rouge to the south)…
      expect({ south: b.s <= south, west: b.w <= west, north: b.n >= north, east: b.e >= east }, `${width}×${height}: map ${JSON.stringify(b)} zones ${[south, west, north, east]}`)
        .toEqual({ south: true, west: true, north: true, east: true });
      // …and the city filling the map one way or the other (not a small city in the middle of a 4K wall).
      const fill = Math.max((north - south) / (b.n - b.s), (east - west) / (b.e - b.w));
      expect(fill, `${width}×${height}`).toBeGreaterThan(0.75);
      if (width !== 1280) await page.screenshot({ path: `${SCREENSHOTS}wall-city-${width}.png` });
    }
    // Twice the pixels, twice the scale: one zoom level closer, the same city on screen.
    await page.setViewportSize({ width: 1920, height: 1080 });
    const at1920 = await shown(1);
    await page.setViewportSize({ width: 3840, height: 2160 });
    const at3840 = await shown(2);
    expect(Math.abs(at3840.zoom - at1920.zoom - 1), `zoom ${at1920.zoom} at 1920×1080, ${at3840.zoom} at 3840×2160`).toBeLessThanOrEqual(0.25);
    await page.setViewportSize({ width: 1920, height: 1080 });
  });
  it('draws alerts close together as one cluster with their count, not a heap of discs', { timeout: 60_000 }, async () => {
    const map = page.getByTestId('wall-map');
    const before = Number(await map.getAttribute('data-alert-markers'));
    // A surge: twelve alerts within some 30 m of each other (the city view, from the test before).
    const surge = Array.from({ length: 12 }, (_, i) => assault(`e2e-wall-surge-${i}`, 43.3312 + (i % 4) * 0.0001, 5.4155 + Math.floor(i / 4) * 0.0001));
    expect((await post(node.url, '/api/v1/events', surge)).status).toBe(202);
    // (The stock rules may add an alert of their own there: a cluster of incidents.)
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="wall-map"]')?.getAttribute('data-alert-markers')) >= n, before + surge.length, { timeout: 15_000 });
    type Probe = HTMLElement & { wallMap: { drawnCount: number; markerCount: number } };
    // The twelve drawn as one disc: eleven discs fewer than alerts at least.
    const clustered = () => page.waitForFunction(() => { const m = (document.querySelector('[data-testid="wall-map"]') as Probe).wallMap; return m.drawnCount > 0 && m.drawnCount <= m.markerCount - 11; }, undefined, { timeout: 5_000 });
    await clustered();
    // The figures keep up with the map (read again after alerts, at most every 3 s).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="wall-alert-count"]')?.textContent?.trim()) >= (document.querySelector('[data-testid="wall-map"]') as Probe).wallMap.markerCount, undefined, { timeout: 6_000 });
    await page.screenshot({ path: `${SCREENSHOTS}wall-cluster-1920.png` });
    // On a 4K wall too (the layer made again at its scale).
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.waitForSelector('[data-testid="wall-map"][data-scale="2"]', { timeout: 10_000 });
    await clustered();
    await page.setViewportSize({ width: 1920, height: 1080 });
  });
});
