import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

/** What has the focus: a row (its alert id), else the element's test id, else its tag; and whether it is in an open dialog. */
type Focus = { id: string; inDialog: string | null };

describe.skipIf(!chromiumAvailable())('the focus after every dialog and action, keyboard only', () => {
  const suite = consoleSuite();
  let page: Page;

  beforeAll(async () => {
    page = await signedIn(suite.browser, suite.node.url, 'operator', { width: 1366, height: 768 });
  }, 60_000);

  const focus = () =>
    page.evaluate((): Focus => {
      const a = document.activeElement;
      const id = !a || a === document.body ? 'BODY' : (a.getAttribute('data-alert-id') ?? a.getAttribute('data-testid') ?? a.id ?? a.tagName);
      return { id, inDialog: a?.closest('dialog[open]')?.getAttribute('data-testid') ?? null };
    });
  /** Waits until `id` has the focus (a row's alert id or a test id); fails saying what has it instead. */
  const focusOn = async (id: string) => {
    try {
      await page.waitForFunction((want) => {
        const a = document.activeElement;
        return a !== null && (a.getAttribute('data-alert-id') === want || a.getAttribute('data-testid') === want);
      }, id, { timeout: 5000 });
    } catch {
      expect((await focus()).id, `focus on ${id}`).toBe(id);
    }
  };
  const detailOf = (id: string) => page.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${id}"]`, { timeout: 5000 });
  /** Tab (or Maj+Tab) `n` times: the focus never leaves `dialog`. */
  const tabsStayIn = async (dialog: string, n: number, shift = false) => {
    for (let i = 0; i < n; i++) {
      await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
      expect((await focus()).inDialog, `Tab ${i + 1} in ${dialog}`).toBe(dialog);
    }
  };

  it('dismiss, reopen, comment, acknowledge, resolve, feeds: the focus comes back to the queue and the next key works', { timeout: 90_000 }, async () => {
    const events = [assault(43.2951, 5.374), assault(43.3001, 5.4001), assault(43.285, 5.385)];
    for (const e of events) await postEvents(suite.node.url, [e]); // one by one: newest on top
    const [first, second, third] = (await Promise.all(events.map((e) => alertIdFor(suite.node.url, e.id)))) as [string, string, string];
    for (const id of [first, second, third]) await row(page, id).waitFor({ timeout: 10_000 });

    await page.keyboard.press('ArrowDown');
    await detailOf(third);
    await focusOn(third);

    // D: the dialog holds the focus (Tab and Maj+Tab cycle inside it)
    await page.keyboard.press('d');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'visible' });
    expect(await focus()).toEqual({ id: 'dismiss-title', inDialog: 'dismiss-dialog' });
    await page.keyboard.press('2');
    await tabsStayIn('dismiss-dialog', 6);
    await tabsStayIn('dismiss-dialog', 6, true);
    expect(await page.getByTestId('dismiss-dialog').textContent()).toContain('Ctrl+Entrée (⌘ sur Mac) pour valider · Entrée pour aller à la ligne');
    // In the note, Entrée is a new line and Ctrl+Entrée sends
    await page.getByTestId('dismiss-note').focus();
    await page.keyboard.type('ligne 1');
    await page.keyboard.press('Enter');
    await page.keyboard.type('ligne 2');
    expect(await page.getByTestId('dismiss-dialog').isVisible()).toBe(true);
    expect(await page.getByTestId('dismiss-note').inputValue()).toBe('ligne 1\nligne 2');
    await page.keyboard.press('Control+Enter');
    await row(page, third).waitFor({ state: 'detached', timeout: 5000 });
    // …the dismissed row is gone: the row that took its place has the focus
    await focusOn(second);
    expect(await page.getByTestId('alert-detail-status').textContent()).toBe('Écartée');

    // O (the dismissed alert, still in the detail), then Échap: the focus is back where it was
    await page.keyboard.press('o');
    await page.getByTestId('reopen-dialog').waitFor({ state: 'visible' });
    expect(await focus()).toEqual({ id: 'reopen-note', inDialog: 'reopen-dialog' });
    await tabsStayIn('reopen-dialog', 4);
    await tabsStayIn('reopen-dialog', 4, true);
    await page.keyboard.press('Escape');
    await page.getByTestId('reopen-dialog').waitFor({ state: 'hidden' });
    await focusOn(second);

    // O again: Entrée makes a new line, Cmd+Entrée sends; the reopened alert, back in the queue under
    // the cursor, takes the focus (one row looks highlighted: the one the keys act on)
    await page.keyboard.press('o');
    await page.getByTestId('reopen-dialog').waitFor({ state: 'visible' });
    await page.keyboard.type('Écartée par erreur');
    await page.keyboard.press('Enter');
    await page.keyboard.type('la rixe continue');
    expect(await page.getByTestId('reopen-dialog').isVisible()).toBe(true);
    await page.keyboard.press('Meta+Enter');
    await row(page, third, '[data-status="open"]').waitFor({ timeout: 5000 });
    await focusOn(third);

    // ↓ goes on from the queue, the next alert shown from its top (not where the last one was scrolled to);
    // C then Ctrl+Entrée comments, Échap gives the keys back to the highlighted row
    const panel = page.locator('.detail-panel');
    await panel.evaluate((el) => el.scrollTo({ top: 300 }));
    expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await page.keyboard.press('ArrowDown');
    await detailOf(second);
    await page.waitForFunction(() => document.querySelector('.detail-panel')?.scrollTop === 0, undefined, { timeout: 2000 });
    await focusOn(second);
    await page.keyboard.press('c');
    await focusOn('comment-input');
    await page.keyboard.type('Caméra 12');
    await page.keyboard.press('Enter');
    await page.keyboard.type('orientée vers la place');
    expect(await page.getByTestId('comments').count()).toBe(0); // Entrée did not send
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('comments').getByText('orientée vers la place').waitFor();
    await page.keyboard.press('Escape');
    await focusOn(second);

    // A keeps the focus on the row; a comment typed and not sent is sent before R (never lost with the
    // alert); R takes the row away: the next one has the focus, but A acts only on the alert shown, the
    // resolved one: the panel says to move on; ↓ opens the next one, and A acts on it
    await page.keyboard.press('a');
    await row(page, second, '[data-status="acknowledged"]').waitFor();
    await focusOn(second);
    await page.keyboard.press('c');
    await focusOn('comment-input');
    await page.keyboard.type('Patrouille envoyée');
    await page.keyboard.press('Escape');
    await focusOn(second);
    await page.keyboard.press('r');
    await row(page, second).waitFor({ state: 'detached' });
    await page.getByTestId('comments').getByText('Patrouille envoyée').waitFor();
    await focusOn(first);
    expect(await page.getByTestId('alert-detail-status').textContent()).toBe('Résolue');
    await page.keyboard.press('a');
    await page.getByTestId('alert-notice').getByText('a quitté la file').waitFor();
    await detailOf(second);
    expect(await row(page, first).getAttribute('data-status')).toBe('open');
    await page.keyboard.press('ArrowDown');
    await detailOf(first);
    await page.keyboard.press('a');
    await row(page, first, '[data-status="acknowledged"]').waitFor({ timeout: 5000 });
    await focusOn(first);

    // F opens the feed panel with the focus; Échap closes it and gives the focus back to the row
    await page.keyboard.press('f');
    await focusOn('feed-panel');
    await page.keyboard.press('Escape');
    await page.getByTestId('feed-panel').waitFor({ state: 'detached' });
    await focusOn(first);

    // The detail's Écarter button, from the keyboard: the button goes with the alert, the queue keeps the focus
    await page.getByTestId('alert-dismiss').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('1');
    await page.keyboard.press('Control+Enter'); // from the reason picked (not the note): sends, as the dialog says
    await row(page, first).waitFor({ state: 'detached' });
    await focusOn(third);
    await page.keyboard.press('ArrowUp');
    await detailOf(third);

    // The last alert leaves: the queue itself has the focus, and the keys still work
    await page.keyboard.press('d');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await page.getByTestId('queue-empty').waitFor();
    await focusOn('alert-queue');
    const mute = page.getByTestId('mute-toggle');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('m');
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('m');
  });

  it('skip links come first, are seen when focused, and go to the queue (before the map for Tab) or to the map', { timeout: 90_000 }, async () => {
    const op = await signedIn(suite.browser, suite.node.url, 'operator', { width: 1366, height: 768 });
    const event = assault(43.3021, 5.3921);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    await row(op, id).waitFor({ timeout: 10_000 });
    // From a page just loaded (nothing focused yet)
    await op.reload();
    await op.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
    await row(op, id).waitFor({ timeout: 10_000 });
    const focusOnHere = (want: string) => op.waitForFunction((w) => document.activeElement?.getAttribute('data-testid') === w, want, { timeout: 5000 });
    const focusedId = () => op.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
    /** The link's box: 1 px out of sight unless focused, then a readable button inside the window. */
    const box = async (testid: string) => (await op.getByTestId(testid).boundingBox())!;
    const seen = async (testid: string) => {
      const b = await box(testid);
      return b.width > 100 && b.height > 20 && b.x >= 0 && b.y >= 0 && b.x + b.width <= 1366;
    };
    expect((await box('skip-queue')).width).toBeLessThanOrEqual(1);
    expect((await box('skip-map')).width).toBeLessThanOrEqual(1);

    await op.keyboard.press('Tab');
    expect(await focusedId()).toBe('skip-queue');
    expect(await op.getByTestId('skip-queue').textContent()).toBe('Aller à la file des alertes');
    expect(await seen('skip-queue')).toBe(true);
    await op.screenshot({ path: `${SCREENSHOTS}skip-link-queue-fr.png` });
    await op.keyboard.press('Tab');
    expect(await focusedId()).toBe('skip-map');
    expect(await op.getByTestId('skip-map').textContent()).toBe('Aller à la carte');
    expect(await seen('skip-map')).toBe(true);
    expect((await box('skip-queue')).width).toBeLessThanOrEqual(1);

    // Entrée on the first one: the queue has the focus, Tab goes on to its search; the address stays as it was
    await op.keyboard.press('Shift+Tab');
    await op.keyboard.press('Enter');
    await focusOnHere('alert-queue');
    expect(new URL(op.url()).hash).toBe('');
    await op.keyboard.press('Tab');
    expect(await focusedId()).toBe('queue-search');
    // …and the console's keys work from there (↓ opens the first alert)
    await op.getByTestId('skip-queue').focus();
    await op.keyboard.press('Enter');
    await op.keyboard.press('ArrowDown');
    await op.getByTestId('alert-detail').waitFor({ timeout: 5000 });

    // Tab alone, from the top: the queue's search (then its rows, the open alert) before any of the map's controls
    await op.reload();
    await op.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
    await row(op, id).waitFor({ timeout: 10_000 });
    const stops: string[] = [];
    for (let i = 0; i < 60 && !stops.includes('map-city'); i++) {
      await op.keyboard.press('Tab');
      stops.push(await op.evaluate(() => {
        const a = document.activeElement;
        if (a?.closest('.leaflet-container')) return a.getAttribute('data-testid') ?? 'map-control';
        return a?.getAttribute('data-testid') ?? a?.tagName ?? 'none';
      }));
    }
    const search = stops.indexOf('queue-search');
    expect(search, stops.join(' ')).toBeGreaterThan(-1);
    expect(search, stops.join(' ')).toBeLessThanOrEqual(8); // two skip links, the top bar's five controls, the search
    expect(stops.indexOf('alert-row'), stops.join(' ')).toBeGreaterThan(search);
    expect(stops.findIndex((s) => s === 'map-control' || s === 'map-city'), stops.join(' ')).toBeGreaterThan(stops.lastIndexOf('alert-row'));

    // The second one: the map has the focus (drawn inside it), Tab goes on to its controls
    await op.getByTestId('skip-map').focus();
    expect(await seen('skip-map')).toBe(true);
    await op.screenshot({ path: `${SCREENSHOTS}skip-link-map-fr.png` });
    await op.keyboard.press('Enter');
    await focusOnHere('map-area');
    await op.screenshot({ path: `${SCREENSHOTS}skip-link-map-target-fr.png` });
    await op.keyboard.press('Tab');
    expect(await op.evaluate(() => document.activeElement?.classList.contains('leaflet-control-zoom-in'))).toBe(true);

    // What is seen did not move: the map on the left, the open alert over its right side, the queue on the right
    await row(op, id).click();
    await op.waitForSelector(`[data-testid="alert-detail"][data-alert-id="${id}"]`, { timeout: 5000 });
    const rect = (selector: string) => op.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
    const [map, detail, queue] = await Promise.all([rect('[data-testid="map-area"]'), rect('.detail-panel'), rect('[data-testid="alert-queue"]')]);
    expect(map.left).toBe(0);
    expect(map.right).toBe(queue.left);
    expect(detail.right).toBe(map.right);
    expect(detail.top).toBe(map.top);
    expect(detail.bottom).toBe(map.bottom);
    expect(queue.right).toBe(1366);
    expect(queue.top).toBe(map.top);
    expect(queue.bottom).toBe(768);

    // In English
    await op.evaluate(() => localStorage.setItem('vigie.lang', 'en'));
    await op.reload();
    await op.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
    await op.keyboard.press('Tab');
    expect(await op.getByTestId('skip-queue').textContent()).toBe('Skip to the alert queue');
    expect(await seen('skip-queue')).toBe(true);
    await op.screenshot({ path: `${SCREENSHOTS}skip-link-queue-en.png` });
    await op.keyboard.press('Tab');
    expect(await op.getByTestId('skip-map').textContent()).toBe('Skip to the map');
    await op.context().close();
  });

  it('the dialogs show the keys that send them, in English too', { timeout: 60_000 }, async () => {
    const event = assault(43.2991, 5.3801);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    await row(page, id).waitFor({ timeout: 10_000 });
    await row(page, id).focus();
    await page.keyboard.press('Enter');
    await detailOf(id);
    await page.keyboard.press('d');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'visible' });
    await page.screenshot({ path: `${SCREENSHOTS}dismiss-keys-1366.png` });
    await page.keyboard.press('Escape');
    await page.getByTestId('dismiss-dialog').waitFor({ state: 'hidden' });
    await focusOn(id);
    await page.evaluate(() => localStorage.setItem('vigie.lang', 'en'));
    await page.reload();
    await row(page, id).click();
    await page.keyboard.press('d');
    expect(await page.getByTestId('dismiss-dialog').textContent()).toContain('Ctrl+Enter (⌘ on a Mac) to confirm · Enter for a new line');
    await page.keyboard.press('Escape');
    await focusOn(id);
    await page.evaluate(() => localStorage.setItem('vigie.lang', 'fr'));
  });
});
