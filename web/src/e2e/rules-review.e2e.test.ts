import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { assault, consoleSuite, postEvents, signedIn } from './operator.ts';

/** Replaces the whole text of line `n` (1-based) of the rule editor by typing, as a supervisor would. */
async function retypeLine(page: Page, n: number, text: string) {
  await page.locator('.cm-content .cm-line').nth(n - 1).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home'); // to the line's first character: its indentation stays
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // close the completion list
}

const SMALL = { width: 1366, height: 768 };

async function openRule(page: Page, url: string, id: string) {
  await page.goto(`${url}/rules/${id}`);
  await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
}

/** Answers the next confirm() of `page` (accept or dismiss) and gives its question. */
const nextDialog = (page: Page, accept: boolean) =>
  new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void (accept ? d.accept() : d.dismiss()); }));

const inForce = async (url: string, page: Page, id: string) =>
  page.evaluate(async (id) => ((await (await fetch(`/api/v1/rules/${id}`)).json()) as { rule: { version: number; yaml: string } }).rule, id);

describe.skipIf(!chromiumAvailable())('a supervisor tests, publishes and restores rules (review)', () => {
  const suite = consoleSuite({}, 90_000);

  it('says a backtest over a period without events read nothing, and shows the period in city time', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await page.goto(`${suite.node.url}/rules/new`);
    await page.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    await page.getByTestId('backtest-period').selectOption('24h');
    await page.getByTestId('backtest-run').click();
    await page.getByTestId('backtest-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('backtest-empty').textContent()).toMatch(/Aucun événement enregistré sur cette période/);
    expect(await page.getByTestId('backtest-range').textContent()).toMatch(/^Du \d\d\/\d\d.* au \d\d\/\d\d.*\(heure de la ville, Europe\/Paris\)$/);
  });

  it('marks results of an earlier text, keeps them across the versions tab, and says when the draft changes nothing', { timeout: 90_000 }, async () => {
    const now = Date.now();
    await postEvents(suite.node.url, Array.from({ length: 12 }, (_, i) => ({
      ...assault(43.29 + (i % 4) * 0.004, 5.365 + (i % 3) * 0.006, `review-history-${i}`),
      time: new Date(now - (i + 1) * 9 * 3_600_000).toISOString(),
    })));
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await openRule(page, suite.node.url, 'assault-injured');
    await page.getByTestId('backtest-period').selectOption('7d');
    await page.getByTestId('backtest-run').click();
    const summary = page.getByTestId('backtest-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(Number(await summary.getAttribute('data-alerts'))).toBe(12);
    expect(await page.getByTestId('backtest-compare').textContent()).toContain('mêmes alertes');
    expect(await page.getByTestId('backtest-sample').textContent()).toMatch(/Vieux-Port · agression \(csu\)/);
    expect(await page.getByTestId('backtest-stale').count()).toBe(0);
    // An edit after the run: the results are those of the earlier text, and say so.
    await retypeLine(page, 4, 'severity: critical');
    await page.getByTestId('backtest-stale').waitFor();
    // Before publishing, what would change in the version in force.
    const diff = page.getByTestId('publish-diff');
    expect(await diff.getAttribute('data-lines')).toBe('2');
    await diff.locator('summary').click();
    expect(await diff.textContent()).toMatch(/-severity: high\s*\+severity: critical/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}rules-backtest-stale-1366.png` });
    // The versions tab and back: the run's results are still there.
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('versions').waitFor();
    await page.getByTestId('tab-backtest').click();
    expect(await summary.isVisible()).toBe(true);
    await page.getByTestId('backtest-stale').getByRole('button').click();
    await expect.poll(async () => page.getByTestId('backtest-stale').count(), { timeout: 30_000 }).toBe(0);
    await summary.waitFor({ timeout: 30_000 });

    // A period chosen on the city's clock: the last 50 hours hold 5 of the 12 assaults (one every 9 hours).
    const cityInput = (ms: number) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(ms).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
    };
    await page.getByTestId('backtest-period').selectOption('custom');
    await page.getByTestId('backtest-from').fill(cityInput(Date.now() + 3_600_000));
    await page.getByTestId('backtest-to').fill(cityInput(Date.now() - 3_600_000));
    expect(await page.getByTestId('backtest-period-error').textContent()).toBe('La fin de la période doit venir après son début.');
    expect(await page.getByTestId('backtest-run').isDisabled()).toBe(true);
    await page.getByTestId('backtest-from').fill(cityInput(Date.now() - 50 * 3_600_000));
    await page.getByTestId('backtest-to').fill(cityInput(Date.now() + 60_000));
    await page.getByTestId('backtest-run').click();
    await expect.poll(async () => summary.getAttribute('data-alerts'), { timeout: 30_000 }).toBe('5');
    expect(await page.getByTestId('backtest-range').textContent()).toContain(`Du ${cityInput(Date.now() - 50 * 3_600_000).slice(8, 10)}/`);
    await page.screenshot({ path: `${SCREENSHOTS}rules-backtest-custom-1366.png` });
  });

  it("says a filter's and the YAML's mistakes in French", { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await openRule(page, suite.node.url, 'assault-injured');
    await retypeLine(page, 9, '- { field: attributes.injured, op: gte, value: un }');
    // Checked as the text settles (each key typed is checked on the way).
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toContain('where.all.1.value\u00a0: gte prend un nombre');
    await retypeLine(page, 9, '- { field: attributes.injured, op: gte, value: 1 }');
    await retypeLine(page, 4, '  severity: high');
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toContain('YAML illisible ici\u00a0:');
    const said = await page.getByTestId('rule-status').textContent();
    expect(said).not.toMatch(/Nested mappings|Implicit keys|are not allowed/);
    await page.screenshot({ path: `${SCREENSHOTS}rules-error-yaml-fr-1366.png` });
  });

  it("tells the second of two supervisors that the first published meanwhile, and lets them compare and publish over it", { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const a = await signedIn(suite.browser, url, 'supervisor', SMALL);
    const b = await signedIn(suite.browser, url, 'supervisor', SMALL);
    await openRule(a, url, 'assault-injured');
    await openRule(b, url, 'assault-injured');
    const start = (await inForce(url, a, 'assault-injured')).version;

    await retypeLine(a, 4, 'severity: critical');
    await a.getByTestId('publish-comment').fill('plus grave');
    await a.getByTestId('publish').click();
    const published = a.locator('[data-testid="publish-outcome"][data-ok="true"]');
    await published.waitFor();
    await expect.poll(async () => { const box = await published.boundingBox(); return box !== null && box.y + box.height <= SMALL.height; }).toBe(true);

    await retypeLine(b, 2, 'title: Agression — version B {zone}');
    await b.getByTestId('publish-comment').fill('titre plus clair');
    await b.getByTestId('publish').click();
    const conflict = b.getByTestId('publish-conflict');
    await conflict.waitFor();
    // Under the editor, brought into view: a 768 px high screen shows it without scrolling.
    await expect.poll(async () => { const box = await conflict.boundingBox(); return box !== null && box.y >= 0 && box.y + box.height <= SMALL.height; }).toBe(true);
    expect(await conflict.getAttribute('data-version')).toBe(String(start + 1));
    // Named as people know each other (the accounts' display names), not by username.
    expect(await conflict.textContent()).toMatch(new RegExp(`Superviseur de démonstration a publié la version ${start + 1}`));
    expect(await b.locator('.cm-content').textContent()).toContain('version B'); // the text is kept
    expect((await inForce(url, b, 'assault-injured')).yaml).toContain('severity: critical'); // the first one's version stands
    // The header speaks of the version in force now, not of the one the page opened on, and says which one the text starts from.
    const header = b.getByTestId('rule-in-force');
    expect(await header.getAttribute('data-version')).toBe(String(start + 1));
    expect(await header.textContent()).toMatch(new RegExp(`^\\s*Version ${start + 1} en vigueur, publiée par Superviseur de démonstration`));
    expect(await b.getByTestId('rule-text-base').textContent()).toBe(`Votre texte part de la version ${start}.`);
    expect(await b.locator('[data-testid="publish-diff"] summary').textContent()).toContain(`par rapport à la version ${start + 1} en vigueur`);
    await b.screenshot({ path: `${SCREENSHOTS}rules-publish-conflict-1366.png` });
    // Publishing again without choosing still meets their version: nothing is overwritten unseen.
    const again = b.waitForResponse((r) => r.url().endsWith('/api/v1/rules/assault-injured') && r.request().method() === 'PUT');
    await b.getByTestId('publish').click();
    expect((await again).status()).toBe(409);
    await b.locator(`[data-testid="publish-conflict"][data-version="${start + 1}"]`).waitFor();
    expect((await inForce(url, b, 'assault-injured')).yaml).toContain('severity: critical');

    await b.getByTestId('conflict-compare').click();
    const theirs = b.locator(`[data-testid="version"][data-version="${start + 1}"]`);
    await theirs.waitFor();
    expect(await theirs.textContent()).toContain('plus grave');
    await b.getByTestId('conflict-over').click();
    await b.locator('[data-testid="publish-outcome"][data-ok="true"]').waitFor();
    await b.locator(`[data-testid="rule-in-force"][data-version="${start + 2}"]`).waitFor();
    expect(await b.getByTestId('rule-text-base').count()).toBe(0);
    expect((await inForce(url, b, 'assault-injured')).yaml).toContain('version B');
  });

  it('keeps an unpublished text in the browser through another tab and a session that ended, and meets the version published meanwhile', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const page = await signedIn(suite.browser, url, 'supervisor', SMALL);
    await openRule(page, url, 'feed-silent');
    const start = (await inForce(url, page, 'feed-silent')).version;
    await retypeLine(page, 4, 'severity: high');
    await page.getByTestId('publish-comment').fill('plus grave la nuit');
    // The same rule in another tab of this browser: the text is there, and it says where it comes from.
    const tab = await page.context().newPage();
    await openRule(tab, url, 'feed-silent');
    await tab.getByTestId('draft-restored').waitFor();
    expect(await tab.locator('.cm-content').textContent()).toContain('severity: high');
    await tab.close();

    // The session ends (signed out elsewhere); meanwhile another supervisor publishes a version.
    const other = await page.context().newPage();
    await other.goto(url);
    await other.getByTestId('logout').click();
    await other.waitForURL(/\/login$/);
    await other.close();
    const b = await signedIn(suite.browser, url, 'admin', SMALL);
    await openRule(b, url, 'feed-silent');
    await retypeLine(b, 2, 'title: "Flux muet : {key}"');
    await b.getByTestId('publish-comment').fill('titre plus court');
    await b.getByTestId('publish').click();
    await b.locator('[data-testid="publish-outcome"][data-ok="true"]').waitFor();
    await b.context().close();

    // Publishing goes to sign in again, then back to the rule with the text, its comment and what happened since.
    await page.getByTestId('publish').click();
    await page.waitForURL(/\/login\?next=%2Frules%2Ffeed-silent$/);
    await page.getByTestId('login-username').fill('supervisor');
    await page.getByTestId('login-password').fill('supervisor');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/rules\/feed-silent$/);
    const restored = page.getByTestId('draft-restored');
    await restored.waitFor();
    expect(await restored.textContent()).toContain(`écrit sur la version ${start}\u00a0; la version ${start + 1} est en vigueur`);
    expect(await page.locator('.cm-content').textContent()).toContain('severity: high');
    expect(await page.getByTestId('publish-comment').inputValue()).toBe('plus grave la nuit');
    await page.screenshot({ path: `${SCREENSHOTS}rules-draft-restored-1366.png` });
    await page.getByTestId('publish').click();
    await page.locator(`[data-testid="publish-conflict"][data-version="${start + 1}"]`).waitFor();
    await page.getByTestId('conflict-over').click();
    await page.locator(`[data-testid="rule-in-force"][data-version="${start + 2}"]`).waitFor();
    expect(await page.getByTestId('draft-restored').count()).toBe(0);

    // Published: nothing is kept any more.
    const later = await page.context().newPage();
    await openRule(later, url, 'feed-silent');
    await later.waitForTimeout(300);
    expect(await later.getByTestId('draft-restored').count()).toBe(0);
    await page.context().close();
  });

  it('shows what a rule in shadow mode raised without alerting the room', { timeout: 60_000 }, async () => {
    const url = suite.node.url;
    const page = await signedIn(suite.browser, url, 'supervisor', SMALL);
    const yaml = 'id: bruit-nocturne\ntitle: "Bruit nocturne signalé"\nseverity: low\nkind: match\nwhere: { type: citizen.noise }\n';
    const status = await page.evaluate(async (yaml) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      return (await fetch('/api/v1/rules', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ yaml, comment: 'à l’essai', shadow: true }) })).status;
    }, yaml);
    expect(status).toBe(201);
    await postEvents(url, [{ id: `noise-${Date.now()}`, source: 'citizen', type: 'citizen.noise', time: new Date().toISOString(), location: { lat: 43.2965, lon: 5.3698 } }]);
    await openRule(page, url, 'bruit-nocturne');
    await page.getByTestId('tab-shadow').click();
    const panel = page.getByTestId('shadow-alerts');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('La règle est en mode fantôme');
    // The alert is recorded a moment after the event: the tab shows it once there (reopened to read again).
    await expect.poll(async () => {
      await page.getByTestId('tab-versions').click();
      await page.getByTestId('tab-shadow').click();
      return page.getByTestId('shadow-alert').count();
    }, { timeout: 15_000 }).toBe(1);
    // Its zone by name once the city's zones are in.
    await expect.poll(() => page.getByTestId('shadow-alert').textContent()).toMatch(/Bruit nocturne signalé.*v1 · Vieux-Port/);
    await page.screenshot({ path: `${SCREENSHOTS}rules-shadow-alerts-1366.png` });
  });

  it('lists versions in French and asks before restoring one or loading one over unpublished edits', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    const page = await signedIn(suite.browser, url, 'supervisor', SMALL);
    // A version of its own over the library's (whatever the tests before it published).
    await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const rule = ((await (await fetch('/api/v1/rules/assault-injured')).json()) as { rule: { yaml: string } }).rule;
      await fetch('/api/v1/rules/assault-injured', {
        method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ yaml: `${rule.yaml}# revu\n`, comment: 'relecture' }),
      });
    });
    await openRule(page, url, 'assault-injured');
    const current = (await inForce(url, page, 'assault-injured')).version;
    await page.getByTestId('tab-versions').click();
    const first = page.locator('[data-testid="version"][data-version="1"]');
    expect(await first.getByTestId('version-comment').textContent()).toBe('Créée depuis le fichier assault-injured.yaml');

    await retypeLine(page, 4, 'severity: low');
    await first.locator('button').first().click();
    let asked = nextDialog(page, false);
    await first.getByTestId('version-load').click();
    expect(await asked).toMatch(/Charger la version 1 dans l’éditeur\u00a0\? Vos modifications non publiées seront perdues/);
    expect(await page.locator('.cm-content').textContent()).toContain('severity: low');

    asked = nextDialog(page, false);
    await first.getByTestId('version-restore').click();
    expect(await asked).toMatch(new RegExp(`Republier la version 1 comme version ${current + 1}\u00a0\\? .*vos modifications non publiées seront perdues`));
    expect((await inForce(url, page, 'assault-injured')).version).toBe(current); // declined: nothing published

    asked = nextDialog(page, true);
    await first.getByTestId('version-restore').click();
    await asked;
    await page.locator(`[data-testid="rule-in-force"][data-version="${current + 1}"]`).waitFor();
    const restored = page.locator(`[data-testid="version"][data-version="${current + 1}"]`);
    expect(await restored.getByTestId('version-comment').textContent()).toBe('Retour à la version 1');
    await restored.locator('button').first().click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SCREENSHOTS}rules-versions-restored-1366.png` });
  });

  it('says whether a published version goes on from the current windows or rebuilds them from the stored events', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', SMALL);
    await openRule(page, suite.node.url, 'incident-cluster');
    const outcome = page.locator('[data-testid="publish-outcome"][data-ok="true"]');
    await retypeLine(page, 10, 'count: { gte: 3 }');
    await page.getByTestId('publish-comment').fill('seuil plus bas');
    await page.getByTestId('publish').click();
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/ses fenêtres reconstruites à partir des événements enregistrés des dernières 10 min/);
    await page.screenshot({ path: `${SCREENSHOTS}rules-published-rebuilt-1366.png` });
    await retypeLine(page, 4, 'severity: critical');
    await page.getByTestId('publish-comment').fill('plus grave');
    await page.getByTestId('publish').click();
    await expect.poll(() => outcome.textContent()).toMatch(/reprend les fenêtres en cours \(seul le libellé de ses alertes change\)/);
  });
});

