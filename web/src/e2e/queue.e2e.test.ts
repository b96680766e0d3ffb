import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

type ApiAlert = { id: string; ruleId: string; count: number; status: string; severity: string; createdAt: string; ackDueAt?: string | null; silencedBy?: unknown; evidence: { id: string }[]; history: { action: string; note?: string }[] };

/** The alerts as the API lists them (signed in as admin). */
async function listAlerts(url: string): Promise<ApiAlert[]> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return ((await (await fetch(`${url}/api/v1/alerts?limit=2000`, { headers: { cookie } })).json()) as { alerts: ApiAlert[] }).alerts;
}

/** The id of the alert of `ruleId` whose evidence holds `eventId`, once it exists. */
async function alertOf(url: string, ruleId: string, eventId: string, minCount = 1): Promise<ApiAlert> {
  for (let i = 0; i < 100; i++) {
    const hit = (await listAlerts(url)).find((a) => a.ruleId === ruleId && a.evidence.some((e) => e.id === eventId) && a.count >= minCount);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${ruleId} alert for event ${eventId}`);
}

const SPOT = { lat: 43.3125, lon: 5.3655 };
let n = 0;
const citizen = () => ({ id: `cit-q-${Date.now()}-${n++}`, source: 'citizen', type: 'citizen.report.noise', time: new Date().toISOString(), location: SPOT, severity: 2 });
const crash = (lat: number, lon: number) => ({ id: `crash-q-${Date.now()}-${n++}`, source: 'police', type: 'accident.car', time: new Date().toISOString(), location: { lat, lon }, severity: 5 });

const queueIds = (page: Page) => page.locator('[data-testid="alert-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')!));
const queueSeverities = (page: Page) => page.locator('[data-testid="alert-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-severity')!));
const focusedAlert = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-alert-id') ?? null);
const detailOf = (page: Page, id: string) => page.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${id}"]`, { timeout: 5000 });

describe.skipIf(!chromiumAvailable())('the alert queue as an operator works it', () => {
  // windowed rules (the citizen reports' thresholds) answer at once rather than 2 minutes after the event
  const suite = consoleSuite({ VIGIE_ALLOWED_LATENESS_MS: '0' });
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator');
  }, 60_000);

  it('shows critical alerts first whatever came after them, and a repeating alert does not reorder the queue under the cursor', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    // a noisy spot: citizen reports that keep repeating the same alerts
    const reports = [citizen(), citizen(), citizen()];
    await postEvents(url, reports);
    const noisy = await alertOf(url, 'repeated-citizen-reports', reports[2]!.id);
    // a critical accident, then high alerts raised after it (newer, so on top by recency)
    const critical = crash(43.2800, 5.4000);
    await postEvents(url, [critical]);
    const criticalId = await alertIdFor(url, critical.id);
    const later = [assault(43.2951, 5.374), assault(43.3001, 5.4001)];
    for (const e of later) await postEvents(url, [e]);
    const laterIds = await Promise.all(later.map((e) => alertIdFor(url, e.id)));
    for (const id of [noisy.id, criticalId, ...laterIds]) await row(page, id).waitFor({ timeout: 10_000 });

    // the most severe first: critical, then high, medium, low
    const rank: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
    expect((await queueIds(page))[0]).toBe(criticalId);
    const severities = await queueSeverities(page);
    expect(severities.map((s) => rank[s]!)).toEqual([...severities.map((s) => rank[s]!)].sort((a, b) => b - a));
    // within a severity, the newest raised first
    const ids = await queueIds(page);
    expect(ids.indexOf(laterIds[1]!)).toBeLessThan(ids.indexOf(laterIds[0]!));
    expect(await page.getByTestId('queue-sort').inputValue()).toBe('severity');
    expect(await page.locator('label.sort').textContent()).toContain('Tri');

    // the cursor on the third row; the noisy alert then repeats twice
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const before = await queueIds(page);
    const underCursor = before[2]!;
    expect(await focusedAlert(page)).toBe(underCursor);
    const more = [citizen(), citizen()];
    for (const e of more) await postEvents(url, [e]);
    await alertOf(url, 'repeated-citizen-reports', more[1]!.id, noisy.count + 2);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="alert-row"][data-alert-id="${id}"]`)?.textContent?.includes(`×${5}`), noisy.id, { timeout: 10_000 });

    // the alerts that were there keep their order; the cursor stays on the same alert
    const after = await queueIds(page);
    expect(after.filter((id) => before.includes(id))).toEqual(before);
    expect(await focusedAlert(page)).toBe(underCursor);
    expect(await page.locator('[data-testid="alert-row"].cursor').getAttribute('data-alert-id')).toBe(underCursor);
  });

  it('acts from the keyboard on the highlighted alert: moving the cursor opens it', { timeout: 60_000 }, async () => {
    const ids = await queueIds(page);
    const [first, second] = [ids[0]!, ids[1]!];
    // the first alert open with the mouse, then one row down from the keyboard
    await row(page, first).click();
    await detailOf(page, first);
    await page.keyboard.press('ArrowDown');
    expect(await focusedAlert(page)).toBe(second);
    await detailOf(page, second);
    await page.keyboard.press('a');
    await row(page, second, '[data-status="acknowledged"]').waitFor({ timeout: 5000 });
    expect(await row(page, first).getAttribute('data-status')).toBe('open');
    expect(await page.getByTestId('alert-detail-status').textContent()).toBe('Prise en compte');
    // the queue's hints say which alert the keys act on
    expect(await page.getByTestId('hints-highlighted').textContent()).toContain('surlignée');
  });

  it('keeps a comment and an assignee typed while the server cannot be reached, says so in French, and clears the error once back', { timeout: 60_000 }, async () => {
    const id = (await queueIds(page))[0]!;
    await row(page, id).click();
    await detailOf(page, id);
    await page.context().setOffline(true);
    await page.getByTestId('comment-input').fill('Témoin rappelé, véhicule gris');
    await page.getByTestId('comment-send').click();
    const notice = page.getByTestId('alert-notice');
    await notice.waitFor({ timeout: 5000 });
    expect(await notice.textContent()).toContain('Serveur injoignable');
    expect(await notice.textContent()).not.toContain('Failed to fetch');
    expect(await page.getByTestId('comment-input').inputValue()).toBe('Témoin rappelé, véhicule gris');
    await page.getByTestId('assign-input').fill('Patrouille 2');
    await page.getByTestId('assign-send').click();
    await page.waitForTimeout(300);
    expect(await page.getByTestId('assign-input').inputValue()).toBe('Patrouille 2');
    // a look at another alert and back: what was typed is still there
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await detailOf(page, id);
    expect(await page.getByTestId('comment-input').inputValue()).toBe('Témoin rappelé, véhicule gris');

    // the link is back: the error goes, and sending again works and empties the field
    await page.context().setOffline(false);
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 30_000 });
    await notice.waitFor({ state: 'detached', timeout: 5000 });
    await page.getByTestId('comment-send').click();
    await page.getByTestId('comments').getByText('Témoin rappelé, véhicule gris').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('comment-input').inputValue()).toBe('');
    await page.getByTestId('assign-send').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="detail-assignee"]')?.textContent === 'Patrouille 2', undefined, { timeout: 5000 });
    expect(await page.getByTestId('assign-input').inputValue()).toBe('');
  });

  it('asks for the reason of a dismissal: none preselected, D then Entrée records nothing', { timeout: 60_000 }, async () => {
    const id = (await queueIds(page))[0]!;
    await row(page, id).click();
    await detailOf(page, id);
    await row(page, id).focus();
    await page.keyboard.press('d');
    const dialog = page.getByTestId('dismiss-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('input[type="radio"]:checked').count()).toBe(0);
    expect(await page.getByTestId('dismiss-confirm').isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}console-dismiss-1920.png` });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    expect(await dialog.isVisible()).toBe(true);
    expect(await row(page, id).count()).toBe(1);
    // a reason by its number, then Entrée
    await page.keyboard.press('2');
    expect(await page.getByTestId('dismiss-reason-duplicate').isChecked()).toBe(true);
    expect(await page.getByTestId('dismiss-confirm').isDisabled()).toBe(false);
    await page.keyboard.press('Enter');
    await row(page, id).waitFor({ state: 'detached', timeout: 5000 });
    const dismissed = (await listAlerts(suite.node.url)).find((a) => a.id === id)!;
    expect(dismissed.status).toBe('dismissed');
    expect(dismissed.history.at(-1)).toMatchObject({ action: 'dismiss', note: 'duplicate' });
  });

  it('puts the queue in the order picked in its header, and keeps that order over a reload', { timeout: 60_000 }, async () => {
    // Two more open alerts, an acknowledged one among the rest.
    for (const e of [assault(43.2991, 5.3801), crash(43.2755, 5.3902)]) {
      await postEvents(suite.node.url, [e]);
      await row(page, await alertIdFor(suite.node.url, e.id)).waitFor({ timeout: 10_000 });
    }
    const active = async () => (await listAlerts(suite.node.url)).filter((a) => (a.status === 'open' || a.status === 'acknowledged') && !a.silencedBy);
    const acked = (await active()).find((a) => a.status === 'open')!;
    await row(page, acked.id).click();
    await page.keyboard.press('a');
    await row(page, acked.id, '[data-status="acknowledged"]').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    const list = await active();
    expect(list.length).toBeGreaterThanOrEqual(4);
    const sort = page.getByTestId('queue-sort');
    // At 1920 px the order sits on the filters' row, at its end, and the queue's header keeps to two rows (filters, then the acknowledgement of those shown).
    const toggle = (await page.getByTestId('filters-toggle').boundingBox())!, sortBox = (await sort.boundingBox())!;
    expect(Math.abs(sortBox.y + sortBox.height / 2 - (toggle.y + toggle.height / 2))).toBeLessThan(6);
    expect(sortBox.x).toBeGreaterThan(toggle.x + 150);
    const ackShown = (await page.getByTestId('queue-ack-shown').boundingBox())!;
    expect(ackShown.y).toBeGreaterThan(sortBox.y + sortBox.height);
    expect(ackShown.height).toBeLessThan(2 * sortBox.height);
    const bySeverity = await queueIds(page);
    const ordered = (by: (a: ApiAlert, b: ApiAlert) => number) => [...list].sort(by).map((a) => a.id);
    const raised = (a: ApiAlert) => Date.parse(a.createdAt);

    await sort.selectOption('oldest');
    expect(await queueIds(page)).toEqual(ordered((a, b) => raised(a) - raised(b) || (a.id < b.id ? -1 : 1)));
    expect(await page.locator('label.sort').getAttribute('title')).toContain('la plus ancienne en premier');

    // Due first: the open alerts by when their acknowledgement falls due, the acknowledged ones after.
    await sort.selectOption('due');
    const due = (a: ApiAlert) => (a.status === 'open' && a.ackDueAt ? Date.parse(a.ackDueAt) : Infinity);
    const ids = await queueIds(page);
    expect(ids.map((id) => due(list.find((a) => a.id === id)!))).toEqual(list.map(due).sort((a, b) => a - b));
    expect(ids.indexOf(acked.id)).toBeGreaterThanOrEqual(list.filter((a) => a.status === 'open').length);
    await page.screenshot({ path: `${SCREENSHOTS}queue-sort-due-1920.png` });

    // A reload (a new console, the same browser) keeps the order picked.
    await page.reload();
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
    await row(page, acked.id).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('queue-sort').inputValue()).toBe('due');
    expect(await queueIds(page)).toEqual(ids);

    // Acknowledged from the keyboard, an alert goes after the open ones; ↓ goes on from where it was.
    const [first, second] = ids;
    await row(page, first!).click();
    await detailOf(page, first!);
    await row(page, first!).focus();
    await page.keyboard.press('a');
    await row(page, first!, '[data-status="acknowledged"]').waitFor({ timeout: 5000 });
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid="alert-row"]')].findIndex((r) => r.getAttribute('data-alert-id') === id) > 0, first);
    await page.keyboard.press('ArrowDown');
    await detailOf(page, second!);
    expect(await focusedAlert(page)).toBe(second);

    await page.getByTestId('queue-sort').selectOption('severity');
    expect(await queueIds(page)).toEqual(bySeverity);
  });
});
