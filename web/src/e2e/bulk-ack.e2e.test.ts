import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login } from '../../../server/src/testing/harness.ts';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, consoleSuite, postEvents, row, signedIn } from './operator.ts';

type ApiAlert = { id: string; status: string; version: number; history: { action: string; by: string }[] };

async function alertById(url: string, headers: Record<string, string>, id: string): Promise<ApiAlert> {
  return (await (await fetch(`${url}/api/v1/alerts/${id}`, { headers })).json()) as ApiAlert;
}

const statusOf = (page: Page, id: string) => row(page, id).getAttribute('data-status');

describe.skipIf(!chromiumAvailable())('acknowledging the alerts shown, together', () => {
  const suite = consoleSuite();
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator');
  }, 60_000);

  it('Échap before sending leaves every alert as it was; the console\'s keys do nothing meanwhile', { timeout: 60_000 }, async () => {
    const url = suite.node.url;
    const events = [assault(43.2901, 5.3801), assault(43.2911, 5.3811)];
    await postEvents(url, events);
    const ids = await Promise.all(events.map((e) => alertIdFor(url, e.id)));
    for (const id of ids) await row(page, id).waitFor({ timeout: 10_000 });

    const acks: string[] = [];
    const record = (r: { url(): string; method(): string }) => { if (r.method() === 'POST' && /\/ack$/.test(r.url())) acks.push(r.url()); };
    page.on('request', record);
    await page.getByTestId('queue-ack-shown').click();
    const dialog = page.locator('[data-testid="bulk-ack-dialog"][open]');
    await dialog.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}bulk-ack-confirm.png` });
    expect(await page.getByTestId('bulk-ack-count').textContent()).toContain('2 alertes ouvertes');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('bulk-ack-confirm');
    await page.keyboard.press('a'); // the console's keys are the dialog's while it is open: A acknowledges nothing
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
    // Nothing was sent (a request sent by mistake would be seen here, answered or not).
    await page.waitForTimeout(500);
    page.off('request', record);
    expect(acks).toEqual([]);
    for (const id of ids) expect(await statusOf(page, id)).toBe('open');
    // The focus goes back to the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('queue-ack-shown');
  });

  it('acknowledges the open alerts the filter shows (one commented meanwhile, at its new version), says which a colleague took meanwhile, and leaves it', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const events = Array.from({ length: 6 }, (_, i) => assault(43.30 + i * 0.002, 5.37 + i * 0.002));
    await postEvents(url, events);
    const ids = await Promise.all(events.map((e) => alertIdFor(url, e.id)));
    for (const id of ids) await row(page, id).waitFor({ timeout: 10_000 });
    const earlier = await page.locator('[data-testid="alert-row"][data-status="open"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')!));

    const button = page.getByTestId('queue-ack-shown');
    expect(await button.textContent()).toContain(String(earlier.length));
    const listTop = async () => (await page.locator('[data-testid="alert-queue"] .list').boundingBox())!.y;
    const topBefore = await listTop();

    await button.click();
    const dialog = page.locator('[data-testid="bulk-ack-dialog"][open]');
    await dialog.waitFor();
    expect(await page.getByTestId('bulk-ack-count').textContent()).toContain(`${earlier.length} alertes ouvertes`);
    expect(await page.locator('[data-testid="bulk-ack-severity"]').evaluateAll((l) => l.map((x) => [x.getAttribute('data-severity'), x.textContent?.replace(/\s+/g, ' ').trim()]))).toEqual([['high', `Haute ${earlier.length}`]]);

    // Meanwhile a supervisor acknowledges one of them: the operator's acknowledgement of it comes too late.
    const supervisor = await login(url, 'supervisor');
    const taken = await alertById(url, supervisor.headers, ids[3]!);
    const res = await fetch(`${url}/api/v1/alerts/${ids[3]}/ack`, { method: 'POST', headers: supervisor.headers, body: JSON.stringify({ version: taken.version }) });
    expect(res.status).toBe(200);
    // …and comments another, which stays open at a newer version than the dialog holds: it is acknowledged at that version.
    const other = earlier.find((id) => id !== ids[3])!;
    const commented = await alertById(url, supervisor.headers, other);
    const note = await fetch(`${url}/api/v1/alerts/${other}/comment`, { method: 'POST', headers: supervisor.headers, body: JSON.stringify({ version: commented.version, text: 'Patrouille en route' }) });
    expect(note.status).toBe(200);

    await page.getByTestId('bulk-ack-confirm').click();
    await page.locator('[data-testid="bulk-ack-dialog"][data-phase="done"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('bulk-ack-progress').textContent()).toContain(`${earlier.length} sur ${earlier.length}`);
    expect(await page.getByTestId('bulk-ack-done').textContent()).toBe(`${earlier.length - 1} alertes prises en compte.`);
    expect(await page.getByTestId('bulk-ack-changed').textContent()).toBe('1 alerte déjà traitée ou close entre-temps, laissée telle quelle.');
    expect(await page.getByTestId('bulk-ack-failed').count()).toBe(0);
    expect(await page.getByTestId('bulk-ack-not-sent').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}bulk-ack-done.png` });

    // Every alert shown is acknowledged now, once: by the operator, or (the one taken) by the supervisor.
    for (const id of earlier) await page.locator(`[data-testid="alert-row"][data-alert-id="${id}"][data-status="acknowledged"]`).waitFor({ timeout: 10_000 });
    const operator = await login(url, 'operator');
    for (const id of earlier) {
      const acks = (await alertById(url, operator.headers, id)).history.filter((h) => h.action === 'ack');
      expect(acks, id).toHaveLength(1);
      expect(acks[0]!.by, id).toBe(id === ids[3] ? 'supervisor' : 'operator');
    }
    const retried = await alertById(url, operator.headers, other);
    expect(retried.history.map((h) => h.action).slice(-2)).toEqual(['comment', 'ack']);
    await page.getByTestId('bulk-ack-close').click();
    await dialog.waitFor({ state: 'hidden' });
    // Nothing open is shown: the button has gone, and the list has not moved up in its place.
    expect(await page.getByTestId('queue-ack-shown').count()).toBe(0);
    expect(Math.abs((await listTop()) - topBefore)).toBeLessThan(1);
  });
});
