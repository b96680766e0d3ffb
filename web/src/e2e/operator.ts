import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { spawnNode, type NodeProcess } from '../../../server/src/testing/process.ts';
import { launchChromium } from './browser.ts';

const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };

/** A demo node (simulator off unless asked) on its own data folder; `VIGIE_WEB_DIR` may point at another build. */
export async function startConsoleNode(extra: Record<string, string> = {}): Promise<{ node: NodeProcess; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  const env: Record<string, string> = {
    VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_DATA_DIR: dataDir, VIGIE_TILE_URL: '', VIGIE_MQTT_PORT: '0',
    ...(process.env.VIGIE_WEB_DIR ? { VIGIE_WEB_DIR: process.env.VIGIE_WEB_DIR } : {}),
    ...extra,
  };
  const node = await spawnNode(env);
  return { node, env, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** What a browser suite works with, set before its tests run. */
export type ConsoleSuite = { node: NodeProcess; env: Record<string, string>; browser: Browser };

/**
 * For the enclosing `describe`: a console node (see startConsoleNode) and Chromium, started
 * before its tests and stopped after them, data folder included.
 */
export function consoleSuite(extra: Record<string, string> = {}, timeoutMs = 90_000): ConsoleSuite {
  const suite = {} as ConsoleSuite;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const [started, browser] = await Promise.all([startConsoleNode(extra), launchChromium()]);
    Object.assign(suite, { node: started.node, env: started.env, browser });
    cleanup = started.cleanup;
  }, timeoutMs);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.node?.stop();
    await cleanup?.();
  });
  return suite;
}

/** A new browser context signed in as `username`, on the console with its live link up. */
export async function signedIn(browser: Browser, url: string, username: string, viewport = { width: 1920, height: 1080 }, options: Omit<BrowserContextOptions, 'viewport'> = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, viewport });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(username);
  await page.getByTestId('login-submit').click();
  await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
  return page;
}

let n = 0;
/** A located assault with an injured person (the stock `assault-injured` rule: one high alert each). */
export function assault(lat = 43.2965, lon = 5.3698, id = `e2e-${Date.now()}-${n++}`) {
  return { id, source: 'csu', type: 'incident.assault', time: new Date().toISOString(), location: { lat, lon }, severity: 4, attributes: { injured: 1 } };
}

export async function postEvents(url: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify(events) });
  if (res.status !== 202) throw new Error(`events refused: ${res.status} ${await res.text()}`);
}

/** The row of the alert whose evidence holds `eventId` (looked up through the API). */
export async function alertIdFor(url: string, eventId: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  for (let i = 0; i < 100; i++) {
    const list = (await (await fetch(`${url}/api/v1/alerts?limit=2000`, { headers: { cookie } })).json()) as { alerts: { id: string; evidence: { id: string }[] }[] };
    const hit = list.alerts.find((a) => a.evidence.some((e) => e.id === eventId));
    if (hit) return hit.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no alert for event ${eventId}`);
}

export const row = (page: Page, id: string, extra = '') => page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]${extra}`);

/**
 * Opens one of the console's other pages (`events`, `rules`, `import`, `feeds`, `accounts`) from
 * the top bar: its link, or the menu's where the bar cannot hold them (a laptop's screen, an
 * administrator's five pages beside a warning).
 */
export async function openArea(page: Page, name: string): Promise<void> {
  await page.locator('header.topbar[data-fitted="true"]').waitFor();
  const link = page.getByTestId(`nav-${name}`);
  if (await link.isVisible()) return link.click();
  await page.getByTestId('topbar-menu').locator('summary').click();
  await page.getByTestId(`menu-${name}`).click();
}

