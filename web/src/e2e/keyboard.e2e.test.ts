import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the console from the keyboard alone', () => {
  const suite = consoleSuite();
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator', { width: 1366, height: 768 });
  }, 60_000);

  const focusedAlert = () => page.evaluate(() => document.activeElement?.getAttribute('data-alert-id') ?? null);

  it('moves, searches, opens, acknowledges, comments, resolves, dismisses and mutes with visible shortcuts', { timeout: 60_000 }, async () => {
    const events = [assault(43.2951, 5.374), assault(43.3001, 5.4001), assault(43.2850, 5.3850)];
    for (const e of events) await postEvents(suite.node.url, [e]); // one by one: newest on top
    const [first, second, third] = await Promise.all(events.map((e) => alertIdFor(suite.node.url, e.id)));
    for (const id of [first!, second!, third!]) await row(page, id).waitFor({ timeout: 10_000 });

    const hints = await page.getByTestId('alert-queue').locator('footer').textContent();
    for (const hint of ['naviguer', 'prendre en compte', 'résoudre', 'écarter', 'rechercher', 'commenter', 'son']) expect(hints).toContain(hint);

    // arrows move the cursor through the queue (one severity: newest raised first), opening each alert
    const detailOf = (id: string) => page.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${id}"]`, { timeout: 5000 });
    await page.keyboard.press('ArrowDown');
    expect(await focusedAlert()).toBe(third);
    await detailOf(third!);
    await page.keyboard.press('ArrowDown');
    expect(await focusedAlert()).toBe(second);
    await detailOf(second!);
    await page.keyboard.press('ArrowUp');
    expect(await focusedAlert()).toBe(third);
    await detailOf(third!);

    // "/" searches; Escape clears the search and gives the keys back (a search left behind would hide new alerts)
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('queue-search');
    await page.keyboard.type('zzz-nothing');
    await page.getByTestId('queue-no-match').waitFor();
    await page.keyboard.press('Escape');
    await row(page, first!).waitFor();
    expect(await page.getByTestId('queue-search').inputValue()).toBe('');
    // Or by the empty queue's own button
    await page.getByTestId('queue-search').fill('zzz-nothing');
    await page.getByTestId('queue-clear-filters').click();
    await row(page, first!).waitFor();
    expect(await page.getByTestId('queue-search').inputValue()).toBe('');

    // Escape closed the panel; Enter opens the highlighted alert again (the cursor is still on the newest)
    await page.keyboard.press('Escape');
    await page.getByTestId('alert-detail').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await detailOf(third!);
    // acknowledge, comment, resolve
    await page.keyboard.press('a');
    await row(page, third!, '[data-status="acknowledged"]').waitFor();
    await page.keyboard.press('c');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('comment-input');
    await page.keyboard.type('Caméra 12 orientée');
    await page.keyboard.press('Control+Enter'); // a textarea: Entrée is a new line
    await page.getByTestId('comments').getByText('Caméra 12 orientée').waitFor();
    await page.keyboard.press('Escape'); // leave the field
    await page.keyboard.press('r');
    await row(page, third!).waitFor({ state: 'detached' });
    expect(await page.getByTestId('alert-detail-status').textContent()).toBe('Résolue');

    // dismiss the next one with a reason, all from the keyboard: ↓ goes from the resolved row's place to the next one
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await detailOf(second!);
    await page.keyboard.press('d');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'visible' });
    expect(await page.getByTestId('dismiss-confirm').isDisabled()).toBe(true); // no reason preselected
    await page.getByTestId('dismiss-reason-duplicate').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('dismiss-confirm').focus();
    await page.keyboard.press('Enter');
    await row(page, second!).waitFor({ state: 'detached' });

    // O reopens it with a reason: back in the queue, it is the one row that looks highlighted (the focus
    // goes to it, not left on the row below), and the next key acts on it
    await page.keyboard.press('o');
    await page.getByTestId('reopen-note').fill('Écartée par erreur');
    await page.getByTestId('reopen-confirm').click();
    await row(page, second!).waitFor();
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-alert-id') === id, second!);
    await page.keyboard.press('a');
    await row(page, second!, '[data-status="acknowledged"]').waitFor();
    expect(await page.locator(`[data-testid="alert-row"][data-alert-id="${first!}"]`).getAttribute('data-status')).toBe('open');
    await page.keyboard.press('d');
    await page.getByTestId('dismiss-reason-duplicate').click();
    await page.getByTestId('dismiss-confirm').click();
    await row(page, second!).waitFor({ state: 'detached' });

    // M mutes the critical alert sound, and says so
    const mute = page.getByTestId('mute-toggle');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Escape');
    await page.keyboard.press('m');
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('m');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
  });

  it('a session that ends under the operator says so at sign-in, and what was typed is there again after it', { timeout: 60_000 }, async () => {
    const op = await signedIn(suite.browser, suite.node.url, 'operator', { width: 1366, height: 768 });
    const event = assault(43.3101, 5.3801);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    await row(op, id).click();
    await op.getByTestId('comment-input').fill('Témoin rappelé, à confirmer');
    await op.getByTestId('assign-input').fill('Patrouille 2');
    // The session ends (expired, or signed out elsewhere): the next action is refused, and the console goes to sign-in.
    await op.context().clearCookies();
    await op.getByTestId('alert-ack').click();
    await op.waitForURL(/\/login\?expired=1/, { timeout: 10_000 });
    expect(await op.getByTestId('login-expired').textContent()).toContain('Votre session a pris fin');
    await op.getByTestId('login-username').fill('operator');
    await op.getByTestId('login-password').fill('operator');
    await op.getByTestId('login-submit').click();
    await row(op, id).click();
    expect(await op.getByTestId('comment-input').inputValue()).toBe('Témoin rappelé, à confirmer');
    expect(await op.getByTestId('assign-input').inputValue()).toBe('Patrouille 2');
    // Signed out on purpose: nothing is kept for the next time.
    await op.getByTestId('logout').click();
    await op.waitForURL(/\/login$/);
    expect(await op.evaluate(() => sessionStorage.getItem('vigie.drafts.operator'))).toBeNull();
    await op.context().close();
  });

  it('the top bar\'s menu keeps its keys: arrows between its pages, Échap back to its button, a click elsewhere closes it', { timeout: 90_000 }, async () => {
    // A supervisor's pages are in the menu on a laptop's screen (three for the arrows to go through)
    const sup = await signedIn(suite.browser, suite.node.url, 'supervisor', { width: 1366, height: 768 });
    const event = assault(43.3051, 5.3901);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    await row(sup, id).waitFor({ timeout: 10_000 });
    const menu = sup.getByTestId('topbar-menu');
    const summary = menu.locator('summary');
    const isOpen = () => menu.evaluate((d) => (d as HTMLDetailsElement).open);
    /** The focused element's test id ('menu-button': the menu's summary). */
    const focused = () =>
      sup.evaluate(() => {
        const a = document.activeElement;
        if (a?.matches('[data-testid="topbar-menu"] > summary')) return 'menu-button';
        return a?.getAttribute('data-testid') ?? a?.tagName ?? null;
      });
    /** No alert opened under the menu (↓ is the queue's key elsewhere). */
    const noDetail = async () => expect(await sup.getByTestId('alert-detail').count()).toBe(0);
    const mute = sup.getByTestId('mute-toggle');
    expect(await summary.getAttribute('aria-haspopup')).toBe('menu');
    expect(await menu.locator('[role="menu"] [role="menuitem"]').count()).toBe(3);

    // Entrée on its button opens it on its first page
    await summary.focus();
    await sup.keyboard.press('Enter');
    expect(await isOpen()).toBe(true);
    expect(await focused()).toBe('menu-events');
    // ↓ ↑ Début Fin go between its pages, round from one end to the other; the queue under it does not move
    const moves: [string, string][] = [
      ['ArrowDown', 'menu-rules'], ['ArrowDown', 'menu-import'], ['ArrowDown', 'menu-events'],
      ['ArrowUp', 'menu-import'], ['Home', 'menu-events'], ['End', 'menu-import'], ['ArrowUp', 'menu-rules'],
    ];
    for (const [key, want] of moves) {
      await sup.keyboard.press(key);
      expect(await focused(), key).toBe(want);
    }
    await noDetail();
    // The console's other keys wait too (M would mute, / would search)
    await sup.keyboard.press('m');
    await sup.keyboard.press('/');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    expect(await focused()).toBe('menu-rules');
    expect(await isOpen()).toBe(true);
    await sup.screenshot({ path: `${SCREENSHOTS}kbd-menu-item-1366.png` });
    // Échap closes it and gives the focus back to its button; nothing else was closed or opened
    await sup.keyboard.press('Escape');
    expect(await isOpen()).toBe(false);
    expect(await focused()).toBe('menu-button');
    await noDetail();

    // On its button, ↓ opens it on its first page, ↑ on its last
    await sup.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menu-events');
    await sup.keyboard.press('Escape');
    await sup.keyboard.press('ArrowUp');
    expect(await focused()).toBe('menu-import');
    // Tab goes on past it (to the next control of the bar), and closes it
    await sup.keyboard.press('Tab');
    expect(await isOpen()).toBe(false);
    expect(await focused()).toBe('lang-toggle');
    await noDetail();

    // Opened with a click (as the review did): its first page has the focus, ↓ goes to the next one, not to the queue
    await summary.click();
    expect(await isOpen()).toBe(true);
    expect(await focused()).toBe('menu-events');
    await sup.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menu-rules');
    await noDetail();
    // A click on the map's controls (which keep their clicks to themselves) closes it
    await sup.locator('.leaflet-control-zoom-in').click();
    expect(await isOpen()).toBe(false);
    // A click elsewhere closes it too; the console's keys are then back (↓ opens the first alert)
    await summary.click();
    expect(await isOpen()).toBe(true);
    await sup.getByTestId('alert-queue').locator('header h2').click();
    expect(await isOpen()).toBe(false);
    await sup.keyboard.press('ArrowDown');
    await sup.getByTestId('alert-detail').waitFor({ timeout: 5000 });
    expect(await focused()).not.toBe('menu-events');
    await sup.context().close();
  });

  it('a critical alert puts its count in the title bar', { timeout: 30_000 }, async () => {
    expect(await page.title()).toBe('Vigie');
    await postEvents(suite.node.url, [{ id: `crash-${Date.now()}`, source: 'police', type: 'accident.car', time: new Date().toISOString(), location: { lat: 43.29, lon: 5.38 }, severity: 5 }]);
    await page.waitForFunction(() => document.title.startsWith('(1) ⚠'), undefined, { timeout: 10_000 });
  });
});
