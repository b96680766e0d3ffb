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
