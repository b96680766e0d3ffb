import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawnNode } from '../../../server/src/testing/process.ts';
import { chromiumAvailable } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the console across a server restart', () => {
  const suite = consoleSuite();
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator');
  }, 60_000);

  it('alerts raised while it was away appear once, without reloading the page', { timeout: 90_000 }, async () => {
    const before = assault(43.2951, 5.374);
    await postEvents(suite.node.url, [before]);
    const beforeId = await alertIdFor(suite.node.url, before.id);
    await row(page, beforeId).waitFor({ timeout: 10_000 });

    // the server process stops; the console says so
    const port = suite.node.port;
    await page.context().setOffline(true); // keeps the console from reconnecting before the missed alerts exist
    await suite.node.stop();
    await page.waitForSelector('[data-testid="connection-status"]:not([data-state="connected"])', { timeout: 15_000 });
    // what the feeds' badge knew is old news now: greyed, not a healthy green
    await page.waitForSelector('[data-testid="feed-health"][data-stale="true"]');

    // it comes back on the same data folder and port; alerts are raised before the console is back
    suite.node = await spawnNode({ ...suite.env, PORT: String(port) });
    const missed = [assault(43.3001, 5.4001), assault(43.2850, 5.3850), assault(43.3050, 5.3750)];
    await postEvents(suite.node.url, missed);
    const missedIds = await Promise.all(missed.map((e) => alertIdFor(suite.node.url, e.id)));
    // …and the first one is acknowledged meanwhile by someone else
    const admin = await fetch(`${suite.node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
    const { csrfToken } = (await admin.json()) as { csrfToken: string };
    const headers = { cookie: admin.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const ack = await fetch(`${suite.node.url}/api/v1/alerts/${beforeId}/ack`, { method: 'POST', headers, body: JSON.stringify({ version: 1 }) });
    expect(ack.status).toBe(200);

    await page.context().setOffline(false);
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="feed-health"][data-stale="false"]');
    for (const id of missedIds) await row(page, id).waitFor({ timeout: 10_000 });
    await row(page, beforeId, '[data-status="acknowledged"]').waitFor({ timeout: 10_000 });

    // each alert once: four rows, four distinct ids, and the count says four
    await page.waitForTimeout(500);
    const ids = await page.locator('[data-testid="alert-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')));
    expect(ids.sort()).toEqual([beforeId, ...missedIds].sort());
    expect(await page.getByTestId('alert-count').textContent()).toBe('4');
  });
});
