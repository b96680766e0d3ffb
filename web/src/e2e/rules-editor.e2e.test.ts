import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, signedIn } from './operator.ts';
import { retypeLine } from './rule-editor.ts';

const SMALL = { width: 1366, height: 768 };
const FOCUS_RING = 'rgb(255, 209, 102)'; // --focus in app.css

async function openRule(page: Page, url: string, id: string) {
  await page.goto(`${url}/rules/${id}`);
  await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
}

/** The editor's text as CodeMirror holds it (its lines, joined). */
const editorText = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\n'));
/** The focused element: inside the editor, or its test id. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.closest('.cm-editor') ? 'editor' : (el?.getAttribute('data-testid') ?? el?.tagName ?? null);
});

describe.skipIf(!chromiumAvailable())('the rule editor: keyboard, errors said once and where they belong, what publishing says (review)', () => {
  const suite = consoleSuite({}, 90_000);

  it('lets Tab and Shift+Tab leave the editor without touching the text, shows its focus, and indents with Ctrl+] / Ctrl+[', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await openRule(page, suite.node.url, 'incident-cluster');
    const before = await editorText(page);
    expect(await page.getByTestId('rule-yaml-keys').textContent()).toBe('Tab et Maj+Tab sortent de l’éditeur\u00a0; Ctrl+] et Ctrl+[ indentent ou désindentent les lignes choisies, Entrée garde l’indentation.');
    expect(await page.getByTestId('rule-yaml').getAttribute('aria-describedby')).toBe('rule-yaml-keys');

    const frame = page.getByTestId('rule-editor-frame');
    const ring = () => frame.evaluate((el) => { const s = getComputedStyle(el); return [s.borderTopColor, s.borderTopWidth]; });
    expect((await ring())[0]).not.toBe(FOCUS_RING);
    await page.locator('.cm-content .cm-line').nth(3).click();
    expect(await focused(page)).toBe('editor');
    expect(await ring()).toEqual([FOCUS_RING, '3px']);
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-focus-1366.png` });

    // Tab goes on to the next control (the editor's text is valid: no error list, so the comment), seven times over nothing changes.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('publish-comment');
    expect((await ring())[0]).not.toBe(FOCUS_RING);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('editor');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('form-schedule');
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
    }
    expect(await editorText(page)).toBe(before);
    expect(await page.locator('[data-testid="rule-status"][data-valid="true"]').count()).toBe(1);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    expect(await page.getByTestId('publish-why').textContent()).toMatch(/^\s*Rien à publier\u00a0: le texte et le mode fantôme sont ceux de la version en vigueur\.\s*$/);

    // Indenting stays at hand: Ctrl+] and Ctrl+[ on the line the cursor is in.
    await page.locator('.cm-content .cm-line').nth(0).click();
    await page.keyboard.press('Control+BracketRight');
    await expect.poll(() => editorText(page)).toBe(`  ${before}`);
    await page.keyboard.press('Control+BracketLeft');
    await expect.poll(() => editorText(page)).toBe(before);
    // Enter keeps the line's indentation.
    const typeAt = before.split('\n').findIndex((l) => l.startsWith('  type:'));
    await page.locator('.cm-content .cm-line').nth(typeAt).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('x');
    await expect.poll(async () => (await editorText(page)).split('\n')[typeAt + 1]).toBe('  x');
    await page.context().close();
  });

  it('says an error repeated at one line once, marks the form fields in error, and says the inline errors again in the language chosen', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await openRule(page, suite.node.url, 'incident-cluster');
    // The text seven Tabs made of it before: its first line indented.
    const first = page.locator('.cm-content .cm-line').nth(0);
    await first.click();
    await page.keyboard.press('Home');
    await page.keyboard.type(' '.repeat(14));
    const errors = page.getByTestId('rule-error');
    await errors.first().waitFor();
    const said = await errors.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')} ${e.textContent}`));
    expect(new Set(said).size).toBe(said.length);
    expect(await page.locator('[data-testid="rule-error"][data-count]:not([data-count="1"])').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-errors-merged-1366.png` });
    await first.click();
    await page.keyboard.press('Home'); // to the end of the indentation
    await page.keyboard.press('Shift+Home'); // and back over it
    await page.keyboard.press('Backspace');
    await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();

    // Mistakes in the fields the form shows: each input is marked and described by its error.
    const lines = (await editorText(page)).split('\n');
    const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
    // Completion still offers the values while the errors follow each key typed.
    await page.locator('.cm-content .cm-line').nth(lineOf('severity:') - 1).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('severity: ');
    await page.locator('.cm-tooltip-autocomplete', { hasText: 'critical' }).waitFor();
    await page.keyboard.press('Escape');
    await retypeLine(page, lineOf('severity:'), 'severity: urgent');
    await retypeLine(page, lineOf('window:'), 'window: 30 minutes');
    await retypeLine(page, lineOf('count:'), 'count: { gte: abc }');
    const severity = page.getByTestId('form-severity');
    await expect.poll(() => severity.getAttribute('aria-invalid')).toBe('true');
    expect(await severity.inputValue()).toBe('urgent'); // not a blank select
    expect(await page.getByTestId('form-error-severity').textContent()).toMatch(/^severity\u00a0: une valeur parmi/);
    for (const field of ['window', 'threshold']) {
      const input = page.getByTestId(`form-${field}`);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const describedBy = await input.getAttribute('aria-describedby');
      expect(await page.locator(`#${describedBy}`).textContent()).toMatch(field === 'window' ? /^window\u00a0: / : /^count\.gte\u00a0: /);
      expect(await input.evaluate((el) => getComputedStyle(el).borderTopColor)).not.toBe(await page.getByTestId('form-title').evaluate((el) => getComputedStyle(el).borderTopColor));
    }
    expect(await page.getByTestId('form-title').getAttribute('aria-invalid')).toBeNull();
    await page.getByTestId('form-threshold').focus();
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-form-errors-1366.png` });

    // The inline error, hovered, speaks the console's language; switched to English, it does too, without an edit.
    const hoverError = async () => {
      await page.mouse.move(0, 0);
      await page.locator('.cm-lintRange-error', { hasText: 'urgent' }).hover();
      return page.locator('.cm-tooltip-lint').textContent();
    };
    expect(await hoverError()).toMatch(/^severity\u00a0: une valeur parmi/);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('[data-testid="rule-error"][data-field="severity"]').textContent()).toContain('severity: one of');
    await expect.poll(hoverError).toMatch(/^severity: one of: info, low, medium, high, critical/);
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-lint-en-1366.png` });
    await page.context().close();
  });

  it('marks the id another rule has, clears a refusal once the text changes, and says on the new rule\'s page that it was published, backtest kept', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const page = await signedIn(suite.browser, url, 'supervisor', SMALL);
    await page.goto(`${url}/rules/new`);
    await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    const idAt = (await editorText(page)).split('\n').findIndex((l) => l.startsWith('id:')) + 1;
    await retypeLine(page, idAt, 'id: incident-cluster');
    await page.getByTestId('publish-comment').fill('nouvelle règle');
    await page.getByTestId('publish').click();
    const refused = page.locator('[data-testid="publish-outcome"][data-ok="false"]');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Publication refusée/);
    // The id line is an error, with the rule that has it; publishing waits for another id.
    const idError = page.locator(`[data-testid="rule-error"][data-field="id"][data-line="${idAt}"]`);
    await idError.waitFor();
    expect(await idError.textContent()).toContain('déjà celui d’une règle existante');
    expect(await page.getByTestId('rule-error-link').getAttribute('href')).toBe('/rules/incident-cluster');
    expect(await page.locator(`.cm-gutterElement .cm-lint-marker-error`).count()).toBe(1);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-id-taken-1366.png` });

    // Another id: the refusal of the former text and the id error go.
    const id = `e2e-nouvelle-${Date.now()}`;
    await retypeLine(page, idAt, `id: ${id}`);
    await expect.poll(() => refused.count()).toBe(0);
    await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(false);

    // A backtest over a month, then publishing: the rule's own page says it, and keeps the backtest.
    await page.getByTestId('backtest-period').selectOption('30d');
    await page.getByTestId('backtest-run').click();
    await page.getByTestId('backtest-summary').waitFor({ timeout: 30_000 });
    await page.getByTestId('publish').click();
    await page.waitForURL(new RegExp(`/rules/${id}$`));
    const published = page.locator('[data-testid="publish-outcome"][data-ok="true"]');
    await published.waitFor();
    expect(await published.textContent()).toBe(`Règle «\u00a0${id}\u00a0» publiée, version 1. En mode fantôme, ses alertes sont enregistrées sans être envoyées à la salle.`);
    expect(await page.getByTestId('rule-in-force').getAttribute('data-version')).toBe('1');
    expect(await page.getByTestId('backtest-period').inputValue()).toBe('30d');
    expect(await page.getByTestId('backtest-summary').isVisible()).toBe(true);
    expect(await page.getByTestId('backtest-stale').count()).toBe(0);
    // The focus is on what publishing said (not fallen to the page); the backtest says its text is the version in force now, over the city's sectors.
    await expect.poll(() => focused(page)).toBe('publish-outcome');
    expect(await page.getByTestId('backtest-published').textContent()).toContain('version 1');
    expect(await page.getByText('Nouvelle règle\u00a0: aucune version en vigueur à comparer.').count()).toBe(0);
    await expect.poll(async () => Number(await page.getByTestId('backtest-map').getAttribute('data-zones'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="backtest-map"] path.leaflet-interactive, [data-testid="backtest-map"] svg path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-created-1366.png` });

    // What it said was of that text: an edit puts it away.
    const lines = (await editorText(page)).split('\n');
    await retypeLine(page, lines.findIndex((l) => l.startsWith('severity:')) + 1, 'severity: high');
    await expect.poll(() => published.count()).toBe(0);
    await page.context().close();
  });

  it('keeps the keyboard focus where it was through a backtest and a publish, and says with the focus what publishing waits for', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const page = await signedIn(suite.browser, url, 'supervisor', SMALL);
    // A slow link: the access check takes a while, the page says it is loading meanwhile (not a blank page).
    await page.route('**/api/v1/auth/me', async (route) => { await new Promise((r) => setTimeout(r, 2500)); await route.continue(); });
    await page.goto(`${url}/rules/assault-injured`, { waitUntil: 'commit' });
    const loading = page.getByTestId('rules-loading');
    await loading.waitFor({ timeout: 5000 });
    expect(await loading.textContent()).toBe('Chargement…');
    await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    expect(await loading.count()).toBe(0);
    await page.unroute('**/api/v1/auth/me');
    // Each backtest answers after a while: its running state can be seen.
    await page.route('**/api/v1/rules/backtest*', async (route) => { await new Promise((r) => setTimeout(r, 1200)); await route.continue(); });

    const tabTo = async (testid: string, key = 'Tab') => {
      for (let i = 0; i < 25 && (await focused(page)) !== testid; i++) await page.keyboard.press(key);
      expect(await focused(page)).toBe(testid);
    };
    // A change typed in the title field, then on to Publier: focusable although it waits for a comment.
    await page.getByTestId('form-title').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' (test clavier)');
    await tabTo('publish');
    expect(await page.getByTestId('publish').getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    // Pressed: the comment field takes the focus, and says what is missing.
    expect(await focused(page)).toBe('publish-comment');
    const comment = page.getByTestId('publish-comment');
    expect(await comment.getAttribute('aria-invalid')).toBe('true');
    expect(await comment.getAttribute('aria-describedby')).toBe('publish-why');
    expect(await page.getByTestId('publish-why').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('publish-why').textContent()).toContain('Indiquez pourquoi vous publiez');
    await page.keyboard.type('essai au clavier');
    expect(await comment.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByTestId('publish').getAttribute('aria-disabled')).toBeNull();

    // The backtest: Run gives way to Annuler, the focus with it; then back to Run when it ends.
    await tabTo('backtest-run');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="backtest"][data-state="running"]').waitFor();
    await expect.poll(() => focused(page)).toBe('backtest-cancel');
    await page.locator('[data-testid="backtest"][data-state="done"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => focused(page)).toBe('backtest-run');
    // Run again and cancel it, by the keyboard: the focus is on Run again.
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('backtest-cancel');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="backtest"][data-state="cancelled"]').waitFor();
    await expect.poll(() => focused(page)).toBe('backtest-run');
    await page.screenshot({ path: `${SCREENSHOTS}rules-editor-keyboard-1366.png` });

    // Publishing: the focus goes to what it said.
    await tabTo('publish', 'Shift+Tab');
    await page.keyboard.press('Enter');
    const outcome = page.locator('[data-testid="publish-outcome"][data-ok="true"]');
    await outcome.waitFor();
    await expect.poll(() => focused(page)).toBe('publish-outcome');
    await page.context().close();
  });
});
